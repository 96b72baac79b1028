"""One file against its model: turns pydantic's errors into problems that point at the line."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable
from typing import Any, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from generator.directory.load import Document, Loc
from generator.directory.values import refused_message, visible
from generator.problems import N_, Message, Problem, counted

M = TypeVar("M", bound=BaseModel)

_TYPE_RULES = {
    "string_type": Message("text"),
    "list_type": Message("a list"),
    "dict_type": Message("a mapping of fields"),
    "model_type": Message("a mapping of fields"),
    "model_attributes_type": Message("a mapping of fields"),
    "bool_type": Message("true or false"),
    "date_type": Message("a date (YYYY-MM-DD)"),
}
# What check_document says of each kind of file it is given when the file is not a mapping.
_NOT_A_MAPPING = {
    "person": N_("a person file must be a mapping of fields (name: value), found {found}"),
    "group": N_("a group file must be a mapping of fields (name: value), found {found}"),
    "skills": N_("the skills taxonomy must be a mapping of fields (name: value), found {found}"),
    "mapping": N_("a column mapping must be a mapping of fields (name: value), found {found}"),
    "pairing": N_("a pairing file must be a mapping of fields (name: value), found {found}"),
}


def check_document(document: Document, model: type[M], what: str) -> tuple[M | None, list[Problem]]:
    """Validate ``document`` against ``model``; ``what`` names the file's kind in messages."""
    if not isinstance(document.data, dict):
        message = Message(_NOT_A_MAPPING[what], found=_describe(document.data))
        return None, [document.problem((), message, "type")]
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


def did_you_mean(word: str, choices: list[str] | set[str] | dict[str, Any], *, cutoff: float = 0.6) -> str | Message:
    """`` (did you mean 'x' or 'y'?)``, to end a message with; empty when nothing is close (see :func:`suggest`)."""
    matches = suggest(word, choices, cutoff=cutoff)
    if not matches:
        return ""
    return Message(" (did you mean {choices}?)", choices=either(f"'{m}'" for m in matches))


def either(choices: Iterable[str]) -> str | Message:
    """``'a' or 'b' or 'c'``: choices joined by the language's "or"."""
    listed = list(choices)
    shown: str | Message = listed[-1] if listed else ""
    for choice in reversed(listed[:-1]):
        shown = Message("{first} or {rest}", first=choice, rest=shown)
    return shown


def _to_problem(document: Document, model: type[BaseModel], error: Any) -> Problem:
    problem = _problem_of(document, model, error)
    # Messages quote the values they refuse: escape or invisible characters are shown as escapes.
    # A plain text (no values to tell apart from the words) is escaped whole.
    message = problem.message
    shown = message.with_values(_visible_value) if isinstance(message, Message) else visible(message)
    return dataclasses.replace(problem, message=shown)


def _visible_value(value: Any) -> Any:
    return visible(value) if isinstance(value, str) else value


def _problem_of(document: Document, model: type[BaseModel], error: Any) -> Problem:
    loc: Loc = tuple(error["loc"])
    kind: str = error["type"]
    value = error.get("input")
    # Indices are left out: the line and column already say which item it is.
    field = ".".join(part for part in loc if isinstance(part, str)) or "(top level)"
    context = error.get("ctx") or {}
    if kind == "extra_forbidden":
        name = str(loc[-1])
        fields = _fields_at(model, loc[:-1])
        return document.problem(loc, Message("unknown field '{field}'{hint}", field=field, hint=did_you_mean(name, fields)), "unknown-field", at_key=True)
    if kind == "missing":
        where = document.position(loc[:-1])
        return Problem(document.path, *where, Message("missing required field '{field}'", field=field), "missing-field")
    if kind in _TYPE_RULES:
        message = Message("'{field}' must be {expected}, found {found}", field=field, expected=_TYPE_RULES[kind], found=_describe(value))
        return document.problem(loc, message, "type")
    if kind == "literal_error":
        options = [option.strip().strip("'") for option in context.get("expected", "").replace(" or ", ", ").split(",")]
        hint = did_you_mean(value, options) if isinstance(value, str) else ""
        expected = either(f"'{option}'" for option in options)
        message = Message("'{field}' must be one of {expected}, found {found}{hint}", field=field, expected=expected, found=_describe(value), hint=hint)
        return document.problem(loc, message, "value")
    if kind in ("too_long", "string_too_long"):
        return document.problem(loc, _too_long(field, value, context), "value")
    if kind in ("too_short", "string_too_short"):
        return document.problem(loc, _too_short(field, value, context), "value")
    refused = refused_message(context)
    if refused is not None:
        return document.problem(loc, Message("'{field}': {refusal}", field=field, refusal=refused), kind)
    return document.problem(loc, Message("'{field}': {refusal}", field=field, refusal=error["msg"]), "value")


def _too_long(field: str, value: Any, context: dict[str, Any]) -> Message:
    most = context.get("max_length", 0)
    if isinstance(value, str):
        return counted(
            "'{field}' holds at most {most} character, found {found}",
            "'{field}' holds at most {most} characters, found {found}",
            most,
            field=field,
            most=most,
            found=len(value),
        )
    found = context.get("actual_length", len(value) if isinstance(value, list | dict) else 0)
    return counted(
        "'{field}' holds at most {most} item, found {found}", "'{field}' holds at most {most} items, found {found}", most, field=field, most=most, found=found
    )


def _too_short(field: str, value: Any, context: dict[str, Any]) -> Message:
    least = context.get("min_length", 0)
    if isinstance(value, str):
        return counted("'{field}' holds at least {least} character", "'{field}' holds at least {least} characters", least, field=field, least=least)
    return counted("'{field}' holds at least {least} item", "'{field}' holds at least {least} items", least, field=field, least=least)


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


def _describe(value: Any) -> str | Message:
    if value is None:
        return Message("nothing (an empty value)")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f"'{shown}'"
    if isinstance(value, list):
        return Message("a list")
    if isinstance(value, dict):
        return Message("a mapping")
    if isinstance(value, int | float):
        return Message("the number {number}", number=value)
    return type(value).__name__
