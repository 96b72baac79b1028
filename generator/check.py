"""One file against its model: turns pydantic's errors into problems that point at the line."""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from generator.load import Document, Loc
from generator.problems import Problem
from generator.values import visible

M = TypeVar("M", bound=BaseModel)

_TYPE_RULES = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping of fields",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "bool_type": "true or false",
    "date_type": "a date (YYYY-MM-DD)",
}


def check_document(document: Document, model: type[M], what: str) -> tuple[M | None, list[Problem]]:
    """Validate ``document`` against ``model``; ``what`` names the file's kind in messages."""
    if not isinstance(document.data, dict):
        found = _describe(document.data)
        return None, [document.problem((), f"a {what} file must be a mapping of fields (name: value), found {found}", "type")]
    try:
        return model.model_validate(document.data), []
    except ValidationError as error:
        return None, [_to_problem(document, model, item) for item in error.errors(include_url=False)]


def check_partially(document: Document, model: type[M]) -> M | None:
    """The model of ``document`` without its invalid top-level fields, if that much is valid.

    Lets the rules between files run on a file that also has errors of its own, so that a
    person sees all of their problems at once.
    """
    if not isinstance(document.data, dict):
        return None
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        bad = {item["loc"][0] for item in error.errors(include_url=False) if item["loc"]}
    cleaned = {key: value for key, value in document.data.items() if key not in bad}
    for name, field in model.model_fields.items():
        # A missing text field gets a stand-in so that the other fields can still be checked.
        if field.is_required() and name not in cleaned and field.annotation is str:
            cleaned[name] = "?"
    try:
        return model.model_validate(cleaned)
    except ValidationError:
        return None


def suggest(word: str, choices: list[str] | set[str] | dict[str, Any], *, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The closest ``choices`` to ``word``, case-insensitively, best first."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    matches = difflib.get_close_matches(word.casefold(), list(by_folded), n=n, cutoff=cutoff)
    return [by_folded[m] for m in matches]


def did_you_mean(word: str, choices: list[str] | set[str] | dict[str, Any]) -> str:
    matches = suggest(word, choices)
    if not matches:
        return ""
    return " (did you mean " + " or ".join(f"'{m}'" for m in matches) + "?)"


def _to_problem(document: Document, model: type[BaseModel], error: Any) -> Problem:
    problem = _problem_of(document, model, error)
    # Messages quote the values they refuse: escape or invisible characters are shown as escapes.
    return dataclasses.replace(problem, message=visible(problem.message))


def _problem_of(document: Document, model: type[BaseModel], error: Any) -> Problem:
    loc: Loc = tuple(error["loc"])
    kind: str = error["type"]
    value = error.get("input")
    # Indices are left out: the line and column already say which item it is.
    field = ".".join(part for part in loc if isinstance(part, str)) or "(top level)"
    if kind == "extra_forbidden":
        name = str(loc[-1])
        fields = _fields_at(model, loc[:-1])
        return document.problem(loc, f"unknown field '{field}'{did_you_mean(name, fields)}", "unknown-field", at_key=True)
    if kind == "missing":
        where = document.position(loc[:-1])
        return Problem(document.path, *where, f"missing required field '{field}'", "missing-field")
    if kind in _TYPE_RULES:
        return document.problem(loc, f"'{field}' must be {_TYPE_RULES[kind]}, found {_describe(value)}", "type")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        hint = ""
        if isinstance(value, str):
            options = [option.strip().strip("'") for option in expected.replace(" or ", ", ").split(",")]
            hint = did_you_mean(value, options)
        return document.problem(loc, f"'{field}' must be one of {expected}, found {_describe(value)}{hint}", "value")
    if kind in ("too_long", "too_short", "string_too_long", "string_too_short"):
        return document.problem(loc, f"'{field}': {error['msg'][0].lower()}{error['msg'][1:]}", "value")
    if kind in ("handle", "date", "time", "language", "timezone", "email", "url", "photo", "character", "login"):
        return document.problem(loc, f"'{field}': {error['msg']}", kind)
    return document.problem(loc, f"'{field}': {error['msg']}", "value")


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"'{shown}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
