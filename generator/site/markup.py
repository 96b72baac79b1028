"""People's text on pages: escaped for Markdown, or rendered as Markdown that cannot execute.

Two contexts, two functions:

- :func:`escape_md` for a short value placed in a Markdown line (a name in a list or a link
  text): HTML is escaped and every Markdown sign is backslashed, so the value is shown as typed.
- :func:`render_markdown` for every text of several lines (a person's ``bio``, a group's
  ``description``: the model's ``LongText``), the one renderer of people's text wherever a page
  shows it: Markdown without raw HTML, links only to ``http``, ``https`` and ``mailto`` (bare
  addresses and URLs are links too), images shown as their text (a page must load nothing from
  outside), and no extension that reads attributes or macros. A text written in HTML (pasted from
  an intranet page) is read as its text, its paragraphs kept, never shown as tags; ``<br>`` in
  Markdown is a line break, and a script or a style is dropped, never shown. A heading needs a
  space after its ``#`` signs, as in CommonMark (``#equipe-plateforme`` is a hashtag), and takes
  its place under the page's own headings (``top``); an empty one is left out.

One-line values (titles, offers, seeks, meeting places, a skill's description) are not Markdown:
the templates show them as text, escaped.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as etree
from functools import cache
from html.parser import HTMLParser

import markdown
from markdown.blockprocessors import HashHeaderProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, AtomicString

_SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Python-Markdown's escapable characters: a backslash before any other would be shown.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!])")
# Characters YAML does not print, or reads as line breaks, inside a double-quoted scalar.
_YAML_UNPRINTABLE = re.compile("[\x7f-\x84\x86-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def escape_md(text: str) -> str:
    """``text`` as literal Markdown inline content (HTML-escaped, Markdown signs backslashed)."""
    text = " ".join(text.split())  # a value never starts a new block
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def front_matter_title(text: str) -> str:
    """``text`` as a YAML double-quoted page title, HTML-escaped: the theme inserts titles as HTML.

    Characters outside the BMP stay as they are, since the site engine's YAML reader does not
    join JSON's surrogate-pair escapes (``"\\ud83d\\ude80"``) back into one character.
    """
    quoted = json.dumps(html.escape(text, quote=False), ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def render_markdown(text: str, top: int = 1) -> str:
    """HTML for a person's or group's Markdown text, safe to place in any page.

    ``top`` is the level of the text's first headings: under a page's ``<h2>``, 3.
    """
    converter = _converter()
    converter.trombi_top = top  # type: ignore[attr-defined]  # read by _Headings
    try:
        return str(converter.convert(html_as_text(text))).strip()  # an empty heading left out leaves its line
    finally:
        converter.reset()


# Tags that say a text was written in HTML. A text with code in it (a backtick) is Markdown that
# shows HTML on purpose, and is left as it is.
_HTML_TAG = re.compile(r"</?(?:p|br|div|span|strong|b|em|i|u|ul|ol|li|a|h[1-6]|blockquote|pre|code|table|tr|td)(?:\s[^<>]*)?/?>", re.I)
_BLOCKS = frozenset({"p", "div", "ul", "ol", "blockquote", "pre", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})


_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|</?(?:script|style)\b[^>]*>", re.I | re.S)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)


def html_as_text(text: str) -> str:
    """``text`` as it reads, if it is HTML: its words with paragraphs, lines and list items kept, no tag.

    The words are Markdown's again: a ``<`` among them is shown as text, as any raw HTML is. A
    Markdown text whose only tags are ``<br>`` keeps its Markdown, with line breaks; a script or
    a style is dropped from any text but one with code in it, where it is shown.
    """
    if "`" in text:
        return text
    text = _HIDDEN.sub("", text)
    tags = _HTML_TAG.findall(text)
    if not tags:
        return text
    if all(_LINE_BREAK.fullmatch(tag) for tag in tags):
        return _LINE_BREAK.sub("  \n", text)
    reader = _TextOfHtml()
    reader.feed(text)
    reader.close()
    lines = [" ".join(line.split()).replace(_BREAK, "  ") for line in "".join(reader.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_BREAK = "\x00"  # where a <br> was: Markdown's line break (two spaces at the end of the line), once lines are tidied


def plain_text(text: str) -> str:
    """A person's or group's Markdown (or pasted HTML) text as words only, for what shows no HTML (a
    calendar's description): paragraphs apart, a list's items on their lines, a link's address after
    its words, no mark of either language."""
    reader = _TextOfHtml(plain=True)
    reader.feed(render_markdown(text))
    reader.close()
    lines = [" ".join(line.split()) for line in "".join(reader.parts).replace(_BREAK, "").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _TextOfHtml(HTMLParser):
    def __init__(self, *, plain: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.plain = plain  # words only; else Markdown, to be rendered again
        self.link_text: list[str] = []
        self.parts: list[str] = []
        self.hidden = 0  # inside <script> or <style>: not text
        self.link: str | None = None  # inside <a href> to a safe address: a Markdown link, judged again once rendered

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append(_BREAK + "\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "a" and self.link is None:
            href = (dict(attrs).get("href") or "").strip()
            if href.lower().startswith(_SAFE_SCHEMES) and not re.search(r"[\s<>]", href):
                self.link = href
                self.link_text = []
                if not self.plain:
                    self.parts.append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.link is not None:
            if not self.plain:
                self.parts.append(f"](<{self.link}>)")
            elif " ".join("".join(self.link_text).split()) != self.link.removeprefix("mailto:"):
                self.parts.append(f" <{self.link.removeprefix('mailto:')}>")  # the words, then where they lead
            self.link = None

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.link is not None:
            self.link_text.append(data)
        if self.plain:
            self.parts.append(data.replace("\n", " "))
        else:  # HTML's white space is one space; the words are text, not Markdown
            words = re.sub(r"\s+", " ", data.replace(_BREAK, ""))
            # A web or e-mail address among them stays as written, to be a link as in Markdown: escaped,
            # its dots would no longer be the address's.
            at = 0
            for address in _BARE_LINK_RE.finditer(words):
                self.parts.append(_MD_SPECIAL.sub(r"\\\1", words[at : address.start()]) + address.group(0))
                at = address.end()
            self.parts.append(_MD_SPECIAL.sub(r"\\\1", words[at:]))


class _HashHeadings(HashHeaderProcessor):
    """Headings as CommonMark reads them: one to six ``#``, then a space, a tab or the end of the line."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?=[ \t]|\n|$)(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)")


class _SafeLinks(Treeprocessor):
    """Drop links that are not http(s) or mailto, and turn images into their text."""

    def run(self, root: etree.Element) -> None:
        # A link's text is read as Markdown too: an address written as the text of a link is not a second link inside it.
        for link in list(root.iter("a")):
            for parent in list(link.iter()):
                for index, child in enumerate(list(parent)):
                    if child.tag == "a":
                        _replace_with_text(parent, index, child)
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "a":
                    # An address in <...> comes with its letters as character references, which a
                    # reader's browser would show the same: read them to judge the link.
                    href = html.unescape((child.get("href") or "").replace(AMP_SUBSTITUTE, "&")).strip()
                    if not href.lower().startswith(_SAFE_SCHEMES):
                        _replace_with_text(parent, index, child)
                        continue
                    title = child.get("title")
                    child.attrib = {"href": href, "rel": "nofollow noopener noreferrer"}
                    if title:
                        child.set("title", title)
                elif child.tag == "img":
                    alt = child.get("alt") or ""
                    span = etree.Element("span")
                    span.text = alt
                    span.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, span)


class _Headings(Treeprocessor):
    """People's headings under the page's own, in order: the text's first level is ``top`` and no level is skipped
    (``###`` then ``#####`` are ``<h3>`` then ``<h4>``), down to ``<h6>``; an empty heading goes."""

    def run(self, root: etree.Element) -> None:
        found = [(parent, child) for parent in root.iter() for child in parent if child.tag in _HEADING_TAGS]
        kept = []
        for parent, child in found:
            if "".join(child.itertext()).strip():
                kept.append(child)
            else:
                parent.remove(child)  # a lone "#": a heading of nothing
        top = getattr(self.md, "trombi_top", 1)
        ranks = {level: top + rank for rank, level in enumerate(sorted({int(child.tag[1]) for child in kept}))}
        previous = top - 1
        for child in kept:
            previous = min(6, ranks[int(child.tag[1])], previous + 1)
            child.tag = f"h{previous}"


_HEADING_TAGS = frozenset(f"h{level}" for level in range(1, 7))


class _BareLinks(InlineProcessor):
    """A web address or an e-mail address written as it is, without ``<...>``, is a link, as people expect."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # type: ignore[override]
        text = m.group(0)
        link = etree.Element("a")
        link.text = AtomicString(text)
        link.set("href", text if m.group("web") else f"mailto:{text}")
        return link, m.start(0), m.end(0)


# A URL ends before the punctuation that ends its sentence, and holds parentheses only in pairs
# (https://fr.wikipedia.org/wiki/Lyon_(ville)); an e-mail address is the usual kind. Neither starts
# inside a word or an address, so that a long one is read once, not from each of its characters.
_URL_CHAR = r"[^\s<>\[\]()\"'`\x02\x03]"  # nor what Markdown put in place of an escaped character (STX...ETX)
_URL_PAIR = r"\([^\s<>()\"'`\x02\x03]*\)"
_BARE_LINK = (
    rf"(?<![\w/@.+-])(?:(?P<web>https?://(?:{_URL_CHAR}|{_URL_PAIR})*(?:(?![.,;:!?]){_URL_CHAR}|{_URL_PAIR}))"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})"
)
_BARE_LINK_RE = re.compile(_BARE_LINK)


def _replace_with_text(parent: etree.Element, index: int, child: etree.Element) -> None:
    span = etree.Element("span")
    span.text = child.text
    for grandchild in list(child):
        span.append(grandchild)
    span.tail = child.tail
    parent.remove(child)
    parent.insert(index, span)


class _ListsAfterALine(Preprocessor):
    """A list right under a line of text is a list, as in CommonMark (and as people write "Ask me about:"):
    Python-Markdown needs a blank line first. An ordered list does so from 1 only: "2024. Arrivée" under a
    line goes on with its paragraph."""

    ITEM = re.compile(r" {0,3}(?:[-+*]|1\.)[ \t]+\S")

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        in_list = False  # from an item to the next blank line: its continuation lines, and the next items
        for line in lines:
            previous = out[-1] if out else ""
            if self.ITEM.match(line) and not in_list and previous.strip() and not previous.startswith((" " * 4, "\t")):
                out.append("")
            in_list = bool(line.strip()) and (in_list or bool(self.ITEM.match(line)))
            out.append(line)
        return out


class _SafeExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_SafeLinks(md), "trombi_safe_links", 0)
        md.treeprocessors.register(_Headings(md), "trombi_headings", 1)
        md.preprocessors.register(_ListsAfterALine(md), "trombi_lists_after_a_line", 5)
        md.parser.blockprocessors.register(_HashHeadings(md.parser), "hashheader", 70)
        # After <...> links (120) and e-mail addresses (110), before emphasis: the underscores of a URL are not emphasis.
        md.inlinePatterns.register(_BareLinks(_BARE_LINK, md), "trombi_bare_links", 105)
        # Without these, raw HTML is plain text: the serializer escapes it like any text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


@cache
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=[_SafeExtension(), "sane_lists"], output_format="html")
