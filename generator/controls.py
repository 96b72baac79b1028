"""Control characters in text bound for a line-based format: what they are, and each writer's way out.

The model may let a control character through a free-text field (a bare CR, ``\\v``, ESC, U+2028);
every writer must still produce a file its reader parses into exactly the values that were
written. Each format has its own remedy, so each has its function here, all built on one
definition of the characters that end a line or act on a terminal.
"""

from __future__ import annotations

import json
import re
from typing import Any

# What some reader somewhere takes for the end of a line: CR and LF, and also what Python's
# str.splitlines() and Unicode (UAX #14) break on.
LINE_BREAKS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
# Bidirectional overrides and isolates reorder what a terminal or an editor shows ("Trojan Source").
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

_LINE_BREAK_RE = re.compile(r"\r\n|[" + LINE_BREAKS + "]")
# Unicode's Cc, Zl, Zp and Cs (lone surrogates, which no UTF-8 output can even hold), and the bidi
# controls: as a pattern, since every writer runs it on every value (100,000 vCards a build).
_CONTROLS_BUT_TAB = "\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + BIDI_CONTROLS
_CONTROL_RE = re.compile(f"[\t{_CONTROLS_BUT_TAB}]")
_CONTROL_BUT_TAB_RE = re.compile(f"[{_CONTROLS_BUT_TAB}]")
# json.dumps escapes C0 controls; with ensure_ascii=False it writes DEL, C1, lone surrogates (which
# no terminal can even be sent), the Unicode line separators and the bidi controls as they are.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff" + BIDI_CONTROLS + "]")
# XML 1.0 allows TAB, LF, CR and everything from U+0020 but surrogates, U+FFFE and U+FFFF.
_NOT_XML_RE = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def is_control(character: str) -> bool:
    """Whether a terminal or a line-based reader acts on ``character`` instead of showing it."""
    return _CONTROL_RE.fullmatch(character) is not None


def visible(text: str) -> str:
    """``text`` with every control character written out (``\\x1b``, ``\\n``, ``U+202E``), safe to print.

    A backslash is left as it is: what is shown is for a person to read, not to be parsed back.
    """
    return _CONTROL_RE.sub(lambda match: _shown(match.group()), text)


def one_line(text: str, replacement: str = " ") -> str:
    """``text`` with each line break (CRLF counts as one) replaced, and the other controls but TAB removed."""
    return _CONTROL_BUT_TAB_RE.sub("", _LINE_BREAK_RE.sub(replacement, text))


def json_text(data: Any) -> str:
    """``data`` as indented JSON, readable (accents as they are) and safe to print: every control is escaped.

    Only inside strings can such a character be, where ``\\uXXXX`` means the same character: the
    data read back is unchanged.
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def lines_of(text: str) -> list[str]:
    """``text`` cut at every line break any reader knows, CRLF counting as one."""
    return _LINE_BREAK_RE.split(text)


def xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot hold replaced by U+FFFD, so that the document stays well-formed."""
    return _NOT_XML_RE.sub("\ufffd", text)


def _shown(character: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\f": "\\f"}
    if character in named:
        return named[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"U+{code:04X}"
