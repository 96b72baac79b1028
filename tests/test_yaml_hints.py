"""YAML syntax errors in plain words, at the line of the mistake: each typical mistake, where it is
reported and what it says, and nothing reported in a valid file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.directory.load import parse_text
from generator.directory.yamlhints import _scan

REPO = Path(__file__).parent.parent

# text -> (line, column, words the message must hold). The mistake is on the line given, which
# is not where libyaml stops in most of them.
MISTAKES: dict[str, tuple[str, tuple[int, int, str]]] = {
    "key indented more than its siblings": ("name: Ana\ncontact:\n  email: a@b.c\n   chat: x\n", (4, 4, "indented more than line 3")),
    "key indented more than the top level": ("name: Ana\n title: Dev\nteam: x\n", (2, 2, "indent it by 0 spaces like line 1")),
    "key indented less than its siblings": ("name: Ana\ncontact:\n  email: a@b.c\n chat: x\ntitle: t\n", (4, 2, "indented by 1 space, which matches none")),
    "key between two levels": ("name: Ana\ncontact:\n    email: a@b.c\n  chat: x\n", (4, 3, "use 4 spaces like line 3 or 0 spaces like line 2")),
    "key after a block of text, badly indented": ("name: Ana\nbio: |\n  Hello: world\n title: x\n", (4, 2, "indented more than line 2")),
    "unclosed [": ("name: Ana\nlanguages: [fr, en\njoined: 2020-01-01\n", (2, 12, "'[' is not closed")),
    "unclosed [ over lines": ("name: Ana\nlanguages: [fr,\n  en\njoined: 2020-01-01\n", (2, 12, "'[' is not closed")),
    "unclosed [ at the end of the file": ("name: Ana\nlanguages: [\n", (2, 12, "'[' is not closed")),
    "unclosed { at the end of the file, a list inside closed": ("name: Ana\nphone: {value: [1, 2]\n", (2, 8, "'{' is not closed")),
    "unclosed {": ("name: Ana\nphone: {value: 1, visibility: private\njoined: 2020-01-01\n", (2, 8, "'{' is not closed")),
    "unclosed double quote": ('name: "Ana\ntitle: Dev\nteam: x\n', (1, 7, 'the quote " opened here is not closed')),
    "unclosed single quote": ("name: Ana\ntitle: 'Dev\nteam: x\n", (2, 8, "the quote ' opened here is not closed")),
    "unclosed quote closed by the next value's": ('name: "Ana\ntitle: "Dev"\nteam: x\n', (1, 7, 'the next " is on line 2')),
    "text after a closing quote": ('title: "Dev" senior\n', (1, 12, "text after the closing quote")),
    "apostrophe in single quotes": ("title: 'Chef d'équipe'\n", (1, 15, "write a ' inside it as ''")),
    "missing ':'": ("name: Ana\ntitle Dev\nteam: x\n", (2, 6, "':' is missing after the key 'title': write 'title: Dev'")),
    "missing ':' on the last line": ("name: Ana\ntitle Dev\n", (2, 6, "write 'title: Dev'")),
    "missing ':' on the first line": ("name Ana\ntitle: x\n", (1, 5, "write 'name: Ana'")),
    "missing ':' in a nested key": ("contact:\n  email a@b.c\n  chat: x\n", (2, 8, "write 'email: a@b.c'")),
    "missing space after ':'": ("name: Ana\ntitle:Dev\nteam: x\n", (2, 7, "a space is missing after ':': write 'title: Dev'")),
    "list item among keys": ("name: Ana\n- Python\nteam: x\n", (2, 1, "a '- ' list item among keys")),
    "list item after its list, less indented": ("skills:\n  - Python\n- Go\n", (3, 1, "a '- ' list item among keys")),
    "key among list items": ("skills:\n  - Python\n  title: x\n", (3, 3, "a key among the items of a list")),
    "list item on the key's line": ("skills: - Python\n", (1, 9, "put each item on a line of its own")),
    "tab indentation": ("name: Ana\ncontact:\n\temail: x\n", (3, 1, "a tab is used for indentation")),
    "tab after spaces": ("name: Ana\ncontact:\n  \temail: x\n", (3, 3, "a tab is used for indentation")),
    "tab before the line libyaml stops at": ("contact:\n\temail: x\n  chat: y\n", (2, 1, "a tab")),
    "value starting with @": ("chat: @jdupont\n", (1, 7, "put the whole value in quotes")),
    "value with ': ' inside": ("title: Dev: backend\n", (1, 11, "put a value that holds ': ' in quotes")),
    "two documents": ("name: Ana\n---\nname: Léo\n", (2, 1, "'---' starts a second document")),
    "mistake after quoted keys": ("\"name\": Ana\n'title': Dev\nteam platform\n", (3, 5, "write 'team: platform'")),
}


@pytest.mark.parametrize("case", list(MISTAKES))
def test_a_typical_mistake_is_said_in_plain_words_where_it_is(case: str) -> None:
    text, (line, col, words) = MISTAKES[case]
    document, problems = parse_text(text, "people/ana.yaml")
    assert document is None
    [problem] = problems
    assert (problem.line, problem.col, problem.rule) == (line, col, "yaml-syntax"), problem.message
    assert words in problem.message
    for jargon in ("invalid YAML", "scalar", "simple key", "block mapping", "token", "find expected"):
        assert jargon not in problem.message


VALID = [
    "skills:\n- Python\n- {name: Go, level: expert}\ntitle: x\n",
    "skills:\n  - name: Python\n    level: expert\n  - Go\ntitle: x\n",
    "languages: [\n  fr,\n  en\n]\nname: x\n",
    'bio: "a long\n  text"\nname: x\n',
    "key: 'on two\n  lines'\nnext: 1\n",
    "bio: a long\n  text on two lines\nname: x\n",
    "contact:   # mine\n  email: a@b.c  # x\n  phone: {value: '+33 6', visibility: private}\n",
    "bio: >-\n  folded: text\n\n  - more\nname: x\n",
    'meetings: {every: month, at: "12:30"}\nurl: https://x.y/z\n',
    "a:\n  - - x\n    - y\n  - - z\n",
    "name: 'l''été'\ntitle: \"a \\\" b\"\n",
    "title: Dév # c\n# comment: x\n\nteam: x\n",
    "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
    "owners:\n- a\nmembers:\n- b\n",
    "name:\n  Ana\ntitle: x:y\n",
    "- name: a\n  level: b\n- c\n",
    "- a long item\n  on two lines\n- b\n",
    "a: [x, 'y, z']\nb: {c: \"d}\"}\n",
    "\"name\": Ana\n'title': Dev\n",
    "links:\n- mailto:ana@example.com\n- tel:+33600000000\n",
]


def _repository_yaml() -> list[Path]:
    files = [*REPO.glob("people/*.yaml"), *REPO.glob("groups/*.yaml"), REPO / "skills.yaml", REPO / "mkdocs.yml"]
    return [*files, *sorted((REPO / "tests" / "data").rglob("*.yaml"))]


def test_nothing_is_found_in_valid_yaml() -> None:
    # The scan only runs once libyaml has refused a file, but a false finding before the real
    # mistake would send the person to the wrong line.
    texts = VALID + [path.read_bytes() for path in _repository_yaml() if path.is_file()]
    checked = 0
    for raw in texts:
        try:
            text = raw if isinstance(raw, str) else raw.decode("utf-8-sig")
            yaml.safe_load(text)
        except (yaml.YAMLError, ValueError, RecursionError):
            continue  # the broken test cases
        checked += 1
        assert _scan(text.splitlines()) is None, text
    assert checked > 100
