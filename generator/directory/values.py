"""What a value may hold, said once: each grammar is a check for validation and a pattern for the schemas.

A pattern here is read by two engines: Python's ``re`` (``jsonschema``, and :mod:`generator.directory.model`
through ``fullmatch``) and ECMA-262 (editors checking a file against ``schemas/``). Only the syntax
both read the same way is used; ``END`` stands for the end of the text in both.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic_core import PydanticCustomError

from generator.problems import Message

TEMPLATE = "trombi_template"  # where a refusal's template travels in pydantic's error context

# ``$`` also matches before a final line break in Python's ``re``, not in ECMA-262: the lookahead
# makes both engines stop at the very end of the text.
END = "$(?!\\n)"

# Characters that break a line or drive a terminal: every Unicode control (Cc: C0, DEL and C1,
# NEL among them) and the line and paragraph separators. A vCard, a calendar, an Atom feed or a
# terminal reads each of them as structure.
_CONTROLS = "\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f"
_BREAKS = "\\t\\n" + _CONTROLS + "\\u2028\\u2029"
# Format characters (Cf) that hide or reorder what is shown: soft hyphen, zero-width space, word
# joiner and invisible operators, bidi embeddings, overrides and isolates, byte order mark,
# interlinear annotations. The joiners (U+200C, U+200D) and the direction marks (U+200E, U+200F,
# U+061C) stay allowed: Persian, Indic and Hebrew names and emoji sequences need them.
_HIDDEN = "\\u00ad\\u180e\\u200b\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff\\ufff9-\\ufffb"
# Spaces (Zs), which no address or login holds.
_SPACES = " \\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000"

ONE_LINE_PATTERN = f"^[^{_BREAKS}{_HIDDEN}]*{END}"
LONG_TEXT_PATTERN = f"^[^{_CONTROLS}\\u2028\\u2029{_HIDDEN}]*{END}"
# GitHub: 1 to 39 letters, digits and single hyphens, no hyphen first or last.
GITHUB_PATTERN = f"^(?=[A-Za-z0-9-]{{1,39}}{END})[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*{END}"
# GitLab: 2 to 255 letters, digits, '_', '.' and '-'; not starting with '-' or '.', not ending in
# '.', '.git' or '.atom' (in any case).
GITLAB_PATTERN = f"^(?=[A-Za-z0-9_.-]{{2,255}}{END})(?![-.])(?!.*(?:\\.|\\.[gG][iI][tT]|\\.[aA][tT][oO][mM]){END})[A-Za-z0-9_.-]+{END}"
# What any address is made of; :func:`check_email` then reads it by RFC 5321/6531's grammar.
_NOT_IN_ADDRESS = f'@{_BREAKS}{_HIDDEN}{_SPACES}"“”‘’«»<>()\\[\\]\\\\,;:'
EMAIL_PATTERN = f"^[^{_NOT_IN_ADDRESS}]+@[^{_NOT_IN_ADDRESS}]+\\.[^{_NOT_IN_ADDRESS}]+{END}"
URL_PATTERN = f"^[hH][tT][tT][pP][sS]?://[^{_BREAKS}{_HIDDEN}{_SPACES}/$.?#][^{_BREAKS}{_HIDDEN}{_SPACES}]*{END}"

_NOT_ONE_LINE = re.compile(f"[{_BREAKS}{_HIDDEN}]")
_NOT_LONG_TEXT = re.compile(f"[{_CONTROLS}\\u2028\\u2029{_HIDDEN}]")
_NOT_IN_ADDRESS_RE = re.compile(f"[{_NOT_IN_ADDRESS}]")
GITHUB_RE = re.compile(GITHUB_PATTERN)
GITLAB_RE = re.compile(GITLAB_PATTERN)
EMAIL_RE = re.compile(EMAIL_PATTERN)
URL_RE = re.compile(URL_PATTERN)

_NAMES = {
    "\t": "tab",
    "\n": "line break",
    "\r": "carriage return",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\x1b": "escape",
    "\x7f": "delete",
    "\x85": "next line",
}


def check_one_line(value: str) -> str:
    found = _NOT_ONE_LINE.search(value)
    if found:
        if found.group() in "\n\r\x0b\x0c\x85\u2028\u2029":
            why = Message("a one-line field holds no line break, control or invisible character: keep the value on one line")
        else:
            why = Message("a one-line field holds no line break, control or invisible character: remove it")
        raise _character_error(value, found.start(), why)
    return value


def check_long_text(value: str) -> str:
    found = _NOT_LONG_TEXT.search(value)
    if found:
        why = Message("a long text holds line breaks and tabs, but no other control or invisible character: remove it")
        raise _character_error(value, found.start(), why)
    return value


def check_github(value: str) -> str:
    _check_login(value, "GitHub")
    if not GITHUB_RE.fullmatch(value):
        raise refusal("login", "'{value}' is not a GitHub login: 1 to 39 letters, digits and single hyphens, not starting or ending with '-'", value=value)
    return value


def check_gitlab(value: str) -> str:
    _check_login(value, "GitLab")
    if not GITLAB_RE.fullmatch(value):
        raise refusal(
            "login",
            "'{value}' is not a GitLab username: 2 to 255 letters, digits, '_', '.' and '-', "
            "not starting with '-' or '.', not ending with '.', '.git' or '.atom'",
            value=value,
        )
    return value


def check_email(value: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    check_one_line(value)
    local, at, domain = value.partition("@")
    found = _NOT_IN_ADDRESS_RE.search(local + domain)
    if at and found:
        # Curly quotes and spaces come with a copy from a word processor or a signature.
        character = describe(found.group())
        raise refusal("email", "'{value}' is not an email address: it holds {character}; type the address again by hand", value=value, character=character)
    if not EMAIL_RE.fullmatch(value):
        raise refusal("email", "'{value}' is not an email address: write it as name@domain.example", value=value)
    if is_plain_address(value):
        return value
    try:
        # No DNS lookup: the verdict is the same offline, in CI and on a laptop.
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        # email-validator's reason is in English: it has no catalogue.
        raise refusal("email", "'{value}' is not an email address: {reason}", value=value, reason=str(error).rstrip(".")) from None
    return value


# The addresses nearly everyone has (ASCII dot-atoms at a plain domain name), which email-validator
# accepts too (tests/test_values.py proves it for every address of this shape): they skip it,
# since it costs 25 µs an address, a second and more of a 100,000-person validation.
_PLAIN_ADDRESS_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z-]{0,61}[A-Za-z])?"  # a top-level domain of letters
)
_SPECIAL_USE = frozenset({"arpa", "invalid", "local", "localhost", "onion", "test"})  # email_validator.SPECIAL_USE_DOMAIN_NAMES


def is_plain_address(value: str) -> bool:
    """Whether ``value`` is an address of the common shape, which needs no further check."""
    if len(value) > 254 or not _PLAIN_ADDRESS_RE.fullmatch(value):
        return False
    local, _, domain = value.rpartition("@")
    labels = domain.lower().split(".")
    # A label with "--" at its third and fourth letters is IDNA's reserved form (xn--): email-validator judges it.
    return len(local) <= 64 and labels[-1] not in _SPECIAL_USE and not any(label[2:4] == "--" for label in labels)


def check_url(value: str) -> str:
    check_one_line(value)
    if not URL_RE.fullmatch(value):
        raise refusal("url", "'{value}' is not a web address: it must start with https:// or http://, without spaces", value=value)
    return value


def visible(text: str) -> str:
    """``text`` with each character that a one-line field refuses written as an escape (``\\u001b``).

    A message that repeats a refused value must not carry it to a terminal or a log as it is.
    """
    return _NOT_ONE_LINE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def describe(character: str) -> str:
    """``U+000D (carriage return)``: a character named so that a person can find it."""
    name = _NAMES.get(character) or unicodedata.name(character, "control character").lower()
    return f"U+{ord(character):04X} ({name})"


def _check_login(value: str, site: str) -> None:
    check_one_line(value)
    if value.startswith("@"):
        raise refusal("login", "write the {site} login without '@': '{login}' rather than '{value}'", site=site, value=value, login=value.lstrip("@"))


def _character_error(value: str, index: int, why: Message) -> PydanticCustomError:
    before = value[max(0, index - 20) : index].rsplit("\n", 1)[-1]
    # The value itself is not repeated: the character it holds is the one that breaks the output.
    character = describe(value[index])
    if before:
        return refusal("character", "character {character} after '{before}': {why}", character=character, before=before, why=why)
    return refusal("character", "character {character} at the start: {why}", character=character, why=why)


def refusal(kind: str, template: str, /, **values: Any) -> PydanticCustomError:
    """A value refused inside the model, with its words kept apart for ``check.py`` to translate.

    pydantic renders ``template`` in English for its own message; the template also travels in the
    error's context (``TEMPLATE``) since pydantic's errors do not give it back.
    """
    return PydanticCustomError(kind, template, {**values, TEMPLATE: template})


def refused_message(context: dict[str, Any]) -> Message | None:
    """The translatable message of an error raised by ``refusal``, from its context."""
    if TEMPLATE not in context:
        return None
    return Message(context[TEMPLATE], **{name: value for name, value in context.items() if name != TEMPLATE})
