"""People's text on pages: escaped for Markdown, or rendered as Markdown that cannot execute.

Two contexts, two functions:

- :func:`escape_md` for a short value placed in a Markdown line (a name in a list or a link
  text): HTML is escaped and every Markdown sign is backslashed, so the value is shown as typed.
- :func:`render_markdown` for ``bio`` and ``description``: Markdown without raw HTML, links
  only to ``http``, ``https`` and ``mailto``, images shown as their text (a page must load
  nothing from outside), and no extension that reads attributes or macros. A text written in
  HTML (pasted from an intranet page) is read as its text, its paragraphs kept, never shown as
  tags; a heading needs a space after its ``#`` signs, as in CommonMark (``#equipe-plateforme``
  is a hashtag).
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
from markdown.treeprocessors import Treeprocessor

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


def render_markdown(text: str) -> str:
    """HTML for a person's or group's Markdown text, safe to place in any page."""
    converter = _converter()
    try:
        return str(converter.convert(html_as_text(text)))
    finally:
        converter.reset()


# Tags that say a text was written in HTML. A text with code in it (a backtick) is Markdown that
# shows HTML on purpose, and is left as it is.
_HTML_TAG = re.compile(r"</?(?:p|br|div|span|strong|b|em|i|u|ul|ol|li|a|h[1-6]|blockquote|pre|code|table|tr|td)(?:\s[^<>]*)?/?>", re.I)
_BLOCKS = frozenset({"p", "div", "ul", "ol", "blockquote", "pre", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})


def html_as_text(text: str) -> str:
    """``text`` as it reads, if it is HTML: its words with paragraphs, lines and list items kept, no tag.

    The words are Markdown's again: a ``<`` among them is shown as text, as any raw HTML is.
    """
    if "`" in text or not _HTML_TAG.search(text):
        return text
    reader = _TextOfHtml()
    reader.feed(text)
    reader.close()
    lines = [" ".join(line.split()).replace(_BREAK, "  ") for line in "".join(reader.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_BREAK = "\x00"  # where a <br> was: Markdown's line break (two spaces at the end of the line), once lines are tidied


class _TextOfHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # inside <script> or <style>: not text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append(_BREAK + "\n")
        elif tag == "li":
            self.parts.append("\n- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:  # HTML's white space is one space; the words are text, not Markdown
            self.parts.append(_MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", data.replace(_BREAK, ""))))


class _HashHeadings(HashHeaderProcessor):
    """Headings as CommonMark reads them: one to six ``#``, then a space, a tab or the end of the line."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?=[ \t]|\n|$)(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)")


class _SafeLinks(Treeprocessor):
    """Drop links that are not http(s) or mailto, and turn images into their text."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "a":
                    href = (child.get("href") or "").strip()
                    if not href.lower().startswith(_SAFE_SCHEMES):
                        _replace_with_text(parent, index, child)
                        continue
                    child.attrib = {"href": href, "rel": "nofollow noopener noreferrer"}
                    if child.get("title"):
                        child.set("title", child.get("title", ""))
                elif child.tag == "img":
                    alt = child.get("alt") or ""
                    span = etree.Element("span")
                    span.text = alt
                    span.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, span)


def _replace_with_text(parent: etree.Element, index: int, child: etree.Element) -> None:
    span = etree.Element("span")
    span.text = child.text
    for grandchild in list(child):
        span.append(grandchild)
    span.tail = child.tail
    parent.remove(child)
    parent.insert(index, span)


class _SafeExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_SafeLinks(md), "trombi_safe_links", 0)
        md.parser.blockprocessors.register(_HashHeadings(md.parser), "hashheader", 70)
        # Without these, raw HTML is plain text: the serializer escapes it like any text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


@cache
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=[_SafeExtension(), "sane_lists"], output_format="html")
