"""Say in plain words why a file is not YAML, at the line of the mistake, and how to fix it.

libyaml reports where its parser gave up ("could not find expected ':'", "while scanning a
simple key"), often on the line after the mistake. People make a handful of mistakes over and
over: an indentation that matches no sibling, a missing ``:`` or space after it, a ``-`` item
among keys, an unclosed bracket or quote, a tab. Once libyaml has said the file is broken, the
lines up to where it stopped are read again here, one at a time, for the first of those mistakes;
libyaml's own words, reworded, are the last resort.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from generator.problems import Message, counted

Hint = tuple[int, int, Message]  # line, column (both from 1), message

# A key as people write them: a plain name, then ':' and a space or the end of the line.
_KEY = re.compile(r"""("[^"\\]*"|'[^']*'|[^\s"'\[\]{}#,&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)[ \t]*:(?=[ \t]|$)""")
_GLUED = re.compile(r"(?!(?:mailto|tel|urn|https?):)([A-Za-z_][\w-]*):(?![/\\:])(\S)")  # "title:Dev", not "mailto:a@b", "https://" or "a::b"
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*$")
_UNCLOSED_LIST = Message("this '[' is not closed: end the list with ']'")
# The braces are values: a template's own braces would read as fields to fill.
_UNCLOSED_MAPPING = Message("this '{opening}' is not closed: end it with '{closing}'", opening="{", closing="}")


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    indent: int  # spaces before the first character
    column: int  # where the key or value starts, after any "- "
    dashes: tuple[int, ...]  # the indentation of each "- " it starts with

    @property
    def item(self) -> bool:
        return bool(self.dashes)

    key: str | None
    value: str  # after "key:", or the item's text, without its comment
    text: str  # the line without its indentation and comment
    content: str  # the text after any "- "


def explain(error: yaml.MarkedYAMLError, text: str) -> Hint:
    """The first typical mistake before where libyaml stopped, else its message in plain words."""
    stop = error.problem_mark.line + 1 if error.problem_mark else len(text.splitlines()) + 1
    found = _scan(text.splitlines()[:stop])
    unclosed = _unclosed_flow(error, text)
    if found is not None and (unclosed is None or found[0] <= unclosed[0]):
        return found
    if unclosed is not None:
        return unclosed
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return line, col, _reworded(str(error.problem or ""), str(error.context or ""))


def _unclosed_flow(error: yaml.MarkedYAMLError, text: str) -> Hint | None:
    context = str(error.context or "")
    mark = error.context_mark
    if mark is None:
        return None
    if context.endswith("flow node") and error.problem_mark is not None and not text[error.problem_mark.index :].strip():
        # The file ends inside a list or mapping: libyaml says so at the end, the mistake is where it opened.
        return _last_open_bracket(text)
    where = (mark.line + 1, mark.column + 1)
    if context.endswith("flow sequence"):
        return (*where, _UNCLOSED_LIST)
    if context.endswith("flow mapping"):
        return (*where, _UNCLOSED_MAPPING)
    if context.endswith("quoted scalar"):
        return (*where, Message("this quote is not closed: end the value with the same quote"))
    return None


def _reworded(problem: str, context: str) -> Message:
    if "cannot start any token" in problem:
        return Message("a value cannot start with this character: put the whole value in quotes")
    if "block sequence entries are not allowed" in problem:
        return Message("a '- ' list item cannot follow a key on its line: put each item on a line of its own, indented under the key")
    if "mapping values are not allowed" in problem:
        return Message("unexpected ':' here: put a value that holds ': ' in quotes, or check this line's indentation")
    if "another document" in problem or "document" in context:
        return Message("'---' starts a second document, but a file holds one: remove it")
    if "did not find expected" in problem:
        return Message("this line does not fit the lines above it: check its indentation and the line before it")
    if problem or context:
        # libyaml's own words, in English: it has no catalogue.
        return Message("this is not valid YAML ({reason})", reason=problem or context)
    return Message("this is not valid YAML (syntax error)")


def _scan(lines: list[str]) -> Hint | None:
    """The first typical mistake in ``lines``, read as the block structure of a YAML file."""
    parsed: list[_Line] = []
    for line in _significant(lines):
        if isinstance(line, tuple):
            return line  # a tab in the indentation: the rest cannot be read as blocks
        parsed.append(line)
    levels: list[tuple[int, str, _Line]] = []  # open block collections: indent, "map" or "seq", line
    opened: _Line | None = None  # a "key:" waiting for its block
    previous: _Line | None = None
    for index, line in enumerate(parsed):
        following = parsed[index + 1] if index + 1 < len(parsed) else None
        found = _line_mistake(line, previous, opened, following)
        if found is not None:
            return found
        if line.key is None and not line.item and previous is not None and opened is None:
            continue  # the next line of a long plain value
        found = _place(line, levels, opened)
        if found is not None:
            return found
        opened = line if line.key is not None and not line.value else None
        previous = line
    return None


def _line_mistake(line: _Line, previous: _Line | None, opened: _Line | None, following: _Line | None) -> Hint | None:
    """What is wrong within one line, or with how it follows the line before."""
    glued = _GLUED.match(line.content)
    if line.key is None and glued:
        key, rest = glued.group(1), line.content[glued.end(1) + 1 :]
        fixed = f"{key}: {rest}"
        return line.number, line.column + glued.end(1) + 1, Message("a space is missing after ':': write '{fixed}'", fixed=fixed)
    if line.key is None and not line.item:
        continued = previous is not None and bool(previous.value) and line.indent > previous.indent
        sibling = following is not None and following.key is not None and following.indent == line.indent
        if not continued and (opened is None or sibling):
            word, _, rest = line.text.partition(" ")
            fixed = f"{word}: {rest}" if rest else f"{word}:"
            return line.number, line.column + len(word), Message("':' is missing after the key '{key}': write '{fixed}'", key=word, fixed=fixed)
    return _quote_mistake(line)


def _quote_mistake(line: _Line) -> Hint | None:
    value = line.value
    end = _closing_quote(value) if value[:1] in ("'", '"') else None
    if end is None:
        return None
    start = line.indent + 1 + len(line.text) - len(value)
    if value[end + 1 :].strip():
        if value[0] == "'":
            return line.number, start + end, Message("text after the closing quote: put the whole value inside the quotes, and write a ' inside it as ''")
        return line.number, start + end, Message("text after the closing quote: put the whole value inside the quotes")
    return None


def _closing_quote(value: str) -> int | None:
    quote, index = value[0], 1
    while index < len(value):
        char = value[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and value[index + 1 : index + 2] == "'":
                index += 2  # '' is a quote inside a single-quoted value
                continue
            return index
        index += 1
    return None


def _place(line: _Line, levels: list[tuple[int, str, _Line]], opened: _Line | None) -> Hint | None:
    """Fit ``line`` into the open block collections; a line that fits none is the mistake."""
    indent = line.indent
    if opened is not None and (indent > opened.column - 1 or (indent == opened.column - 1 and line.item)):
        levels.append((indent, "seq" if line.item else "map", line))
    elif levels and indent > levels[-1][0]:
        above = levels[-1][2]
        if line.key is not None or line.item:
            message = Message(
                "this line is indented more than line {line}, which already has its value: indent it by {spaces} like line {line}",
                line=above.number,
                spaces=_spaces(levels[-1][0]),
            )
            return line.number, indent + 1, message
    deeper: tuple[int, str, _Line] | None = None
    while levels and levels[-1][0] > indent:
        deeper = levels.pop()
    if not levels:
        levels.append((indent, "seq" if line.item else "map", line))
    level_indent, kind, _ = levels[-1]
    if level_indent != indent:
        return line.number, indent + 1, _matches_none(indent, [level for level in (deeper, levels[-1]) if level is not None])
    levels[-1] = (indent, kind, line)
    if kind == "seq" and not line.item:
        parent = levels[-2] if len(levels) > 1 else None
        if parent is not None and parent[0] == indent and parent[1] == "map":
            levels.pop()  # a list written at the indentation of its key ("skills:" then "- a") ends here
        else:
            message = Message("a key among the items of a list: start it with '- ' to make it an item, or move it left to line up with the key of the list")
            return line.number, indent + 1, message
    elif kind == "map" and line.item:
        message = Message("a '- ' list item among keys: put it under the key of its list (e.g. 'skills:'), indented, or write 'key: value'")
        return line.number, indent + 1, message
    levels.extend((dash, "seq", line) for dash in line.dashes[1:])
    if line.item and line.key is not None:
        levels.append((line.column - 1, "map", line))
    return None


def _significant(lines: list[str]) -> Iterator[_Line | Hint]:
    """The lines that carry structure: no blanks, comments, block scalars or insides of flows.

    A mistake that stops the reading of blocks (a tab in the indentation, a quote that is not
    closed) comes as a :data:`Hint`, and ends them.
    """
    block_above: int | None = None  # the indentation a block scalar's lines must exceed
    block_indent = 0  # the indentation of its first line, which its other lines keep
    flow_depth = 0
    quoted: tuple[int, int, str] | None = None  # where a quote left open at the end of a line was opened
    for number, raw in enumerate(lines, start=1):
        stripped = raw.lstrip(" ")
        indent = len(raw) - len(stripped)
        if quoted is not None:
            end = _closing_quote(quoted[2] + stripped)
            if end is None:
                continue
            if _without_comment(stripped[end:]).strip() not in ("", ",", "]", "}", ":"):
                yield _unclosed(*quoted, number)
                return
            quoted = None
            continue
        if block_above is not None:
            if not stripped.strip() or (indent > block_above and indent >= block_indent):
                block_indent = block_indent or indent
                continue
            block_above = None
        if flow_depth:
            flow_depth = max(0, flow_depth + _flow_change(raw))
            continue
        if stripped[:1] == "\t" and raw.strip():
            yield number, indent + 1, Message("a tab is used for indentation; YAML needs spaces: replace it with spaces")
            return
        body = _without_comment(stripped).rstrip()
        if not body or body.startswith(("---", "...", "%")):
            continue
        content, dashes = body, []
        while content == "-" or content.startswith("- "):
            dashes.append(indent + len(body) - len(content))
            content = content[1:].lstrip(" ")
        column = indent + 1 + (len(body) - len(content))
        match = _KEY.match(content)
        key = match.group(1) if match else None
        value = content[match.end() :].lstrip() if match else content
        if key is not None and _BLOCK_SCALAR.match(value):
            block_above, block_indent = column - 1, 0
        elif value[:1] in ("[", "{"):
            flow_depth = _flow_change(value)
        elif value[:1] in ("'", '"') and _closing_quote(value) is None:
            quoted = (number, indent + 1 + len(body) - len(value), value[0])
        yield _Line(number, indent, column, tuple(dashes), key, value, body, content)
    if quoted is not None:
        yield _unclosed(*quoted, None)


def _unclosed(number: int, col: int, quote: str, closed_on: int | None) -> Hint:
    if closed_on:
        message = Message(
            "the quote {quote} opened here is not closed on its line (the next {quote} is on line {line}): end the value with {quote}",
            quote=quote,
            line=closed_on,
        )
        return number, col, message
    return number, col, Message("the quote {quote} opened here is not closed on its line: end the value with {quote}", quote=quote)


def _last_open_bracket(text: str) -> Hint | None:
    opened: list[tuple[int, int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        quote = ""
        for index, char in enumerate(_without_comment(line)):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'":
                quote = char
            elif char in "[{":
                opened.append((number, index + 1, char))
            elif char in "]}" and opened:
                opened.pop()
    if not opened:
        return None
    number, col, bracket = opened[-1]
    return number, col, _UNCLOSED_LIST if bracket == "[" else _UNCLOSED_MAPPING


def _flow_change(text: str) -> int:
    depth, quote = 0, ""
    for char in _without_comment(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return depth


def _without_comment(text: str) -> str:
    quote = ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and (index == 0 or text[index - 1] in " :[{,-"):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t"):
            return text[:index]
    return text


def _matches_none(indent: int, levels: list[tuple[int, str, _Line]]) -> Message:
    """What a line indented like none of the open blocks says: the one or two indentations it may take."""
    choices = [Message("{spaces} like line {line}", spaces=_spaces(level[0]), line=level[2].number) for level in levels]
    if len(choices) == 1:
        return Message("this line is indented by {spaces}, which matches none of the lines above it: use {choice}", spaces=_spaces(indent), choice=choices[0])
    return Message(
        "this line is indented by {spaces}, which matches none of the lines above it: use {first} or {second}",
        spaces=_spaces(indent),
        first=choices[0],
        second=choices[1],
    )


def _spaces(count: int) -> Message:
    return counted("{count} space", "{count} spaces", count, count=count)
