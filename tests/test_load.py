"""The safe YAML loader: values, positions, and every way a file can be refused without raising."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.directory.load import MAX_DEPTH, MAX_FILE_BYTES, Document, iter_yaml_files, load_file, parse_bytes, parse_text, stems, suffix
from generator.problems import Problem

REPO = Path(__file__).parent.parent

PROFILE = """\
# yaml-language-server: $schema=../schemas/person.schema.json
name: Ana Silva
contact:
  github: ana-gh
  phone: {value: "+33 6", visibility: private}
skills:
  - Python
  - {name: Rust, level: notions}
languages: [pt, fr]
"""


def parsed(text: str) -> Document:
    document, problems = parse_text(text, "people/x.yaml")
    assert problems == []
    assert document is not None
    return document


def refused(text: str) -> list[Problem]:
    document, problems = parse_text(text, "people/x.yaml")
    assert document is None
    assert problems
    return problems


def value(text: str) -> Any:
    return parsed(f"v: {text}\n").data["v"]


# --- values and positions ---------------------------------------------------------------------


def test_profile_data() -> None:
    document = parsed(PROFILE)
    assert document.data == {
        "name": "Ana Silva",
        "contact": {"github": "ana-gh", "phone": {"value": "+33 6", "visibility": "private"}},
        "skills": ["Python", {"name": "Rust", "level": "notions"}],
        "languages": ["pt", "fr"],
    }
    assert document.path == "people/x.yaml"
    assert document.first_line == "# yaml-language-server: $schema=../schemas/person.schema.json"


@pytest.mark.parametrize(
    ("loc", "mark"),
    [
        ((), (2, 1)),
        (("name",), (2, 7)),
        (("contact",), (4, 3)),
        (("contact", "github"), (4, 11)),
        (("contact", "phone"), (5, 10)),
        (("contact", "phone", "value"), (5, 18)),
        (("contact", "phone", "visibility"), (5, 39)),
        (("skills",), (7, 3)),
        (("skills", 0), (7, 5)),
        (("skills", 1), (8, 5)),
        (("skills", 1, "name"), (8, 12)),
        (("skills", 1, "level"), (8, 25)),
        (("languages",), (9, 12)),
        (("languages", 0), (9, 13)),
        (("languages", 1), (9, 17)),
    ],
)
def test_value_marks(loc: tuple[str | int, ...], mark: tuple[int, int]) -> None:
    document = parsed(PROFILE)
    assert document.marks[loc] == mark
    assert document.position(loc) == mark


@pytest.mark.parametrize(
    ("loc", "mark"),
    [
        (("name",), (2, 1)),
        (("contact",), (3, 1)),
        (("contact", "github"), (4, 3)),
        (("contact", "phone"), (5, 3)),
        (("contact", "phone", "value"), (5, 11)),
        (("contact", "phone", "visibility"), (5, 27)),
        (("skills", 1, "name"), (8, 6)),
        (("skills", 1, "level"), (8, 18)),
        (("languages",), (9, 1)),
    ],
)
def test_key_marks(loc: tuple[str | int, ...], mark: tuple[int, int]) -> None:
    document = parsed(PROFILE)
    assert document.key_marks[loc] == mark
    assert document.key_position(loc) == mark


def test_list_items_have_no_key_mark_and_fall_back_to_their_value() -> None:
    document = parsed(PROFILE)
    assert ("skills", 0) not in document.key_marks
    assert document.key_position(("skills", 0)) == (7, 5)


def test_position_of_a_missing_place_is_its_nearest_parent() -> None:
    document = parsed(PROFILE)
    # A bare skill name has no 'name' key: problems about it point at the item.
    assert document.position(("skills", 0, "name")) == (7, 5)
    assert document.position(("contact", "email")) == (4, 3)
    assert document.position(("nothing", "here")) == (2, 1)


def test_document_problem_at_value_or_key() -> None:
    document = parsed(PROFILE)
    at_value = document.problem(("contact", "phone", "visibility"), "msg", "rule")
    at_key = document.problem(("contact", "phone", "visibility"), "msg", "rule", at_key=True)
    assert (at_value.path, at_value.line, at_value.col, at_value.rule) == ("people/x.yaml", 5, 39, "rule")
    assert (at_key.line, at_key.col) == (5, 27)


def test_marks_of_block_scalars_and_crlf() -> None:
    document = parsed("name: Léo\r\nbio: |\r\n  Première ligne.\r\n  Deuxième.\r\ntitle: Responsable\r\n")
    assert document.data == {"name": "Léo", "bio": "Première ligne.\nDeuxième.\n", "title": "Responsable"}
    assert document.marks[("title",)] == (5, 8)
    assert document.key_marks[("title",)] == (5, 1)


def test_columns_count_characters_not_bytes() -> None:
    document = parsed("name: Éléonore\ntitle: Chargée de com\nlocation: Télétravail\n")
    assert document.marks[("title",)] == (2, 8)
    document = parsed("bio: « été » \nmanager: x\nk: [é, è, ê]\n")
    assert document.marks[("k", 2)] == (3, 11)


# --- typing: only true and false, strings stay strings -------------------------------------


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("false", False)])
def test_booleans_are_only_true_and_false(text: str, expected: bool) -> None:
    assert value(text) is expected


@pytest.mark.parametrize(
    "text",
    ["True", "TRUE", "False", "yes", "no", "Yes", "NO", "on", "off", "On", "y", "n", "Y", "N"],
)
def test_yaml_1_1_booleans_stay_strings(text: str) -> None:
    assert value(text) == text


@pytest.mark.parametrize("text", ["012345", "0612345678", "12:30", "1.10", "1e3", "0x1F", "0o17", "-7", ".inf", ".NaN", "2024-01-05", "1_000"])
def test_numbers_times_and_dates_stay_the_text_typed(text: str) -> None:
    assert value(text) == text


@pytest.mark.parametrize("text", ["", "~", "null"])
def test_nulls(text: str) -> None:
    assert value(text) is None


@pytest.mark.parametrize("text", ["Null", "NULL", "none", "None"])
def test_other_spellings_of_null_stay_strings(text: str) -> None:
    assert value(text) == text


@pytest.mark.parametrize(("text", "expected"), [('"true"', "true"), ("'false'", "false"), ('""', ""), ("'~'", "~"), ('"null"', "null"), ("'12:30'", "12:30")])
def test_quoted_values_are_strings(text: str, expected: str) -> None:
    assert value(text) == expected


def test_block_scalars_are_strings_even_when_they_look_like_booleans() -> None:
    assert value("|\n  true\n") == "true\n"
    assert value(">-\n  null\n") == "null"


def test_null_and_boolean_in_lists_and_nested() -> None:
    assert value("[true, ~, yes, '', null]") == [True, None, "yes", "", None]
    assert parsed("a:\n  b:\n  c: false\n").data == {"a": {"b": None, "c": False}}


def test_non_specific_tag_is_refused() -> None:
    for text in ("! 12", "! Ana", "! false"):
        document, problems = parse_text(f"v: {text}\n", "x.yaml")
        assert document is None and [(p.line, p.col, p.rule) for p in problems] == [(1, 4, "yaml-tag")]
    assert value("Bienvenue !") == "Bienvenue !"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("!!str true", "true"),
        ("!!str null", "null"),
        ("!!str", ""),
        ("! false", "false"),
    ],
)
def test_str_tag_is_refused_or_honoured(text: str, expected: str) -> None:
    document, problems = parse_text(f"v: {text}\n", "x.yaml")
    if problems:
        assert [p.rule for p in problems] == ["yaml-tag"]
    else:
        assert document is not None
        assert document.data["v"] == expected


# --- files that are not a mapping ---------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "\ufeff"])
def test_empty_file(text: str) -> None:
    document = parsed(text)
    assert document.data is None
    assert document.marks == {(): (1, 1)}


def test_empty_document_after_a_start_marker() -> None:
    assert parsed("---\n").data is None


def test_file_that_is_a_list() -> None:
    document = parsed("- Ana\n- Léo\n")
    assert document.data == ["Ana", "Léo"]
    assert document.marks[(1,)] == (2, 3)


def test_file_that_is_a_scalar() -> None:
    assert parsed("Ana Silva\n").data == "Ana Silva"


def test_bom_is_ignored() -> None:
    text = "# yaml-language-server: $schema=x\nname: Ana\n"
    document, problems = parse_bytes(b"\xef\xbb\xbf" + text.encode(), "people/x.yaml")
    assert problems == []
    assert document is not None
    assert document.data == {"name": "Ana"}
    assert document.first_line == "# yaml-language-server: $schema=x"
    assert document.marks[("name",)] == (2, 7)
    assert parsed("\ufeff" + text).data == {"name": "Ana"}


# --- refused: structure ------------------------------------------------------------------------


def test_duplicate_key_points_at_the_repeat_and_names_the_first() -> None:
    [problem] = refused("name: Ana\ncontact:\n  chat: '@ana'\n  chat: '@ana2'\n")
    assert (problem.line, problem.col, problem.rule) == (4, 3, "duplicate-key")
    assert "'chat'" in problem.message
    assert "line 3, column 3" in problem.message


def test_duplicate_keys_in_several_places_are_all_reported() -> None:
    problems = refused("a: 1\na: 2\nb:\n  - {x: 1, x: 2}\n")
    assert [(p.line, p.col, p.rule) for p in problems] == [(2, 1, "duplicate-key"), (4, 12, "duplicate-key")]


def test_a_key_that_is_a_list_is_refused() -> None:
    [problem] = refused("[a, b]: 1\n")
    assert (problem.line, problem.col, problem.rule) == (1, 1, "yaml-key")


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    problems = refused(text)
    assert {p.rule for p in problems} == {"yaml-alias"}
    # One problem per anchor (9) and per alias (8 levels of 9): nothing was expanded.
    assert len(problems) == 9 + 8 * 9
    assert (problems[0].line, problems[0].col) == (1, 4)
    assert "&a" in problems[0].message
    assert (problems[1].line, problems[1].col) == (2, 4)
    assert "*a" in problems[2].message


def test_anchor_without_alias_is_refused() -> None:
    [problem] = refused("name: &n Ana\n")
    assert (problem.line, problem.col, problem.rule) == (1, 7, "yaml-alias")


def test_merge_key_is_refused() -> None:
    problems = refused("base: &b {lunch: true}\nnetworking:\n  <<: *b\n")
    assert [(p.line, p.col, p.rule) for p in problems] == [(1, 7, "yaml-alias"), (3, 7, "yaml-alias")]


@pytest.mark.parametrize(
    ("text", "col"),
    [
        ('bio: !!python/object/apply:os.system ["echo hi"]\n', 6),
        ("bio: !!binary aGVsbG8=\n", 6),
        ("open: !!bool yes\n", 7),
        ("bio: !custom text\n", 6),
    ],
)
def test_tags_are_refused(text: str, col: int) -> None:
    [problem] = refused(text)
    assert (problem.line, problem.col, problem.rule) == (1, col, "yaml-tag")


def test_python_tag_does_not_run_anything(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    refused(f'bio: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert not marker.exists()


def test_nesting_just_under_the_limit_is_accepted() -> None:
    # The root mapping plus 15 nested lists: 16 levels.
    document = parsed("a: " + "[" * 15 + "x" + "]" * 15 + "\n")
    inner: Any = document.data["a"]
    for _ in range(14):
        inner = inner[0]
    assert inner == ["x"]


def test_deep_nesting_is_refused() -> None:
    [problem] = refused("interests: " + "[" * 5000 + "]" * 5000 + "\n")
    assert problem.rule == "too-deep"
    assert problem.line == 1
    assert str(MAX_DEPTH) in problem.message


@pytest.mark.parametrize("inner", ["", "x"])
def test_depth_limit_does_not_depend_on_an_unrelated_star(inner: str) -> None:
    # A '*' (Markdown bold in a bio) makes the loader scan events first: the limit must not change.
    nested = "a: " + "[" * 16 + inner + "]" * 16 + "\n"
    plain = refused(nested)
    with_star = refused(nested + "bio: '**gras**'\n")
    assert [(p.line, p.col, p.rule) for p in plain] == [(p.line, p.col, p.rule) for p in with_star] == [(1, 19, "too-deep")]


def test_deep_nesting_does_not_crash_the_interpreter() -> None:
    # In a subprocess: a recursion crash there would not take the test run down with it.
    code = r"""
from generator.directory.load import parse_bytes, parse_text
cases = {
    "flow lists": "interests: " + "[" * 5000 + "]" * 5000 + "\n",
    "flow lists, huge": "interests: " + "[" * 200000,
    "flow mappings": "a: " + "{a: " * 5000 + "x" + "}" * 5000 + "\n",
    "block lists": "- " * 20000 + "x\n",
    "block lists, wide": "-  " * 20000 + "x\n",
    "complex keys": "? " * 20000 + "x\n",
}
for name, text in cases.items():
    document, problems = parse_text(text, "x.yaml")
    assert document is None, name
    print(name, "|", ",".join(sorted({p.rule for p in problems})))
document, problems = parse_bytes(("a: " + "[" * 30000 + "]" * 30000).encode(), "x.yaml")
print("bytes |", ",".join(p.rule for p in problems))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" | ") for line in result.stdout.splitlines())
    assert lines == {
        "flow lists": "too-deep",
        "flow lists, huge": "too-deep",
        "flow mappings": "too-deep",
        "block lists": "too-deep",
        "block lists, wide": "too-deep",
        "complex keys": "too-deep",  # keys nested 20,000 deep: the depth is said first, whatever libyaml's own limit
        "bytes": "too-deep",
    }


# --- refused: syntax -------------------------------------------------------------------------


def test_unclosed_bracket() -> None:
    # At the '[' left open, not where libyaml stops (the ':' of the next line); more in test_yaml_hints.
    [problem] = refused("name: Ana\nlanguages: [fr, en\njoined: 2020-01-01\n")
    assert (problem.line, problem.col, problem.rule) == (2, 12, "yaml-syntax")
    assert problem.message == "this '[' is not closed: end the list with ']'"


@pytest.mark.parametrize(("text", "line"), [("name: Ana\ncontact:\n\tgithub: ana\n", 3), ("a:\n  b: 1\n\tc: 2\n", 3)])
def test_tab_indentation(text: str, line: int) -> None:
    [problem] = refused(text)
    assert (problem.line, problem.col, problem.rule) == (line, 1, "yaml-syntax")
    assert "tab" in problem.message


def test_tab_inside_a_value_is_fine() -> None:
    assert parsed("bio: 'a\tb'\nname: x\t# comment\n").data == {"bio": "a\tb", "name": "x"}


def test_two_documents_are_refused() -> None:
    [problem] = refused("name: Ana\n---\nname: Léo\n")
    assert problem.rule == "yaml-syntax"
    assert problem.line == 2


@pytest.mark.parametrize("extra", ["", "bio2: '**gras**'\n"])
@pytest.mark.parametrize(("text", "mark"), [("name: Ana\ntitle: Dév\nbio: a\x07b\n", (3, 7)), ("name: Éléonore\x7f\n", (1, 15)), ("a: 1\nb: «\x1b»\n", (2, 5))])
def test_control_character_is_reported_where_it_is(text: str, mark: tuple[int, int], extra: str) -> None:
    [problem] = refused(extra + text)
    assert (problem.line - extra.count("\n"), problem.col) == mark
    assert problem.rule == "encoding"
    assert "\n" not in problem.message


# --- refused: bytes ----------------------------------------------------------------------------


def test_latin1_is_refused_at_the_first_bad_byte() -> None:
    document, problems = parse_bytes("name: Ana\ntitle: Hélène\n".encode("latin-1"), "people/x.yaml")
    assert document is None
    [problem] = problems
    assert (problem.line, problem.col, problem.rule) == (2, 9, "encoding")
    assert "0xe9" in problem.message


def test_bad_byte_after_multibyte_characters_counts_characters() -> None:
    _, problems = parse_bytes("name: Éloïse ".encode() + b"\xe9\n", "x.yaml")
    [problem] = problems
    assert (problem.line, problem.col) == (1, 14)


def test_nul_byte() -> None:
    document, problems = parse_bytes("name: Ana\ntitle: Dév\x00\n".encode(), "x.yaml")
    assert document is None
    assert [(p.line, p.col, p.rule) for p in problems] == [(2, 11, "encoding")]


def test_nul_byte_in_utf16_file() -> None:
    _, problems = parse_bytes("name: Ana\n".encode("utf-16"), "x.yaml")
    assert [p.rule for p in problems] == ["encoding"]


def test_size_limit_boundary() -> None:
    head = b"bio: "
    at_limit = head + b"a" * (MAX_FILE_BYTES - len(head) - 1) + b"\n"
    assert len(at_limit) == MAX_FILE_BYTES == 65536
    document, problems = parse_bytes(at_limit, "x.yaml")
    assert problems == []
    assert document is not None
    _, problems = parse_bytes(at_limit + b"\n", "x.yaml")
    assert [(p.line, p.col, p.rule) for p in problems] == [(1, 1, "file-too-large")]


# --- load_file ---------------------------------------------------------------------------------


def test_load_file(tmp_path: Path) -> None:
    path = tmp_path / "dev.yaml"
    path.write_text("name: Ana\n", encoding="utf-8")
    document, problems = load_file(path, "people/dev.yaml")
    assert problems == []
    assert document is not None
    assert document.path == "people/dev.yaml"
    assert document.data == {"name": "Ana"}


def test_load_file_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "dev.yaml"
    path.write_bytes(b"bio: " + b"x" * MAX_FILE_BYTES)
    document, problems = load_file(path, "people/dev.yaml")
    assert document is None
    assert [(p.path, p.line, p.col, p.rule) for p in problems] == [("people/dev.yaml", 1, 1, "file-too-large")]


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    document, problems = load_file(tmp_path / "gone.yaml", "people/gone.yaml")
    assert document is None
    assert [(p.path, p.rule) for p in problems] == [("people/gone.yaml", "file")]


def test_directory_is_a_problem(tmp_path: Path) -> None:
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    document, problems = load_file(folder, "people/dir.yaml")
    assert document is None
    assert [p.rule for p in problems] == ["file"]


def test_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "dev.yaml"
    path.write_text("name: Ana\n", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("this user (root?) can read a file without permissions")
        document, problems = load_file(path, "people/dev.yaml")
    finally:
        path.chmod(0o644)
    assert document is None
    [problem] = problems
    assert (problem.path, problem.line, problem.col, problem.rule) == ("people/dev.yaml", 1, 1, "file")
    assert "cannot read" in problem.message


def test_iter_yaml_files_and_stems(tmp_path: Path) -> None:
    for name in ("b.yaml", "a.yaml", "c.yml", "notes.txt"):
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "sub.yaml").mkdir()
    assert [p.name for p in iter_yaml_files(tmp_path)] == ["a.yaml", "b.yaml"]
    assert {"a", "b"} <= stems(tmp_path)
    assert "c" not in stems(tmp_path)
    assert list(iter_yaml_files(tmp_path / "missing")) == []
    assert stems(tmp_path / "missing") == set()


@pytest.mark.parametrize("name", ["ana.yaml", ".yaml", "..yaml", "...yaml", "ana.yaml.", "ana", "a.b.yml", ".hidden.json", "x.", "."])
def test_a_file_name_s_suffix_is_the_one_pathlib_gives(name: str) -> None:
    assert suffix(name) == Path(name).suffix
