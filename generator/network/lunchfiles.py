"""The lunch history kept in the repository, one file a month (pairings/YYYY-MM.yaml): read and checked like a profile, written by trombi pairs --write."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from generator.directory.check import check_document
from generator.directory.load import iter_yaml_files, parse_text
from generator.directory.model import Handle
from generator.directory.safefs import NotAFile, atomic_write, read_text, scan
from generator.directory.settings import PAIRINGS_DIR, Settings
from generator.network.pairing import MONTH_RE, MonthPairing
from generator.problems import Message, Problem, TrombiError, has_errors

SCHEMA = "../schemas/pairings.schema.json"


MONTH_FILE_RE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])\.yaml")


class PairingFile(BaseModel):
    """``pairings/YYYY-MM.yaml``: the lunches of one month, as written by ``trombi pairs --write``."""

    model_config = ConfigDict(strict=True, extra="forbid")

    month: Annotated[str, Field(pattern=MONTH_RE.pattern, description="The month, YYYY-MM (quoted or not).")]
    pairs: list[Annotated[list[Handle], Field(min_length=2, max_length=3)]] = Field([], description="Each lunch: two handles, or three for the odd one out.")


def pairings_path(settings: Settings) -> Path:
    return settings.root / PAIRINGS_DIR


def read_pairings(settings: Settings) -> dict[str, list[tuple[str, ...]]]:
    """Every ``pairings/YYYY-MM.yaml``, checked; raise :class:`TrombiError` with every problem found."""
    folder = pairings_path(settings)
    history: dict[str, list[tuple[str, ...]]] = {}
    problems = scan(settings.root, PAIRINGS_DIR)
    if has_errors(problems):
        raise TrombiError(problems)
    for path in iter_yaml_files(folder):
        display = settings.display(path)
        month, file_problems = read_pairing_file(path, display)
        problems += file_problems
        if month is not None and not has_errors(file_problems):
            history[month.month] = [tuple(lunch) for lunch in month.pairs]
    if has_errors(problems):
        raise TrombiError(problems)
    return history


def recorded_months(settings: Settings) -> list[str]:
    """The months of ``pairings/``, from their file names alone (YYYY-MM.yaml)."""
    try:
        names = os.listdir(pairings_path(settings))
    except FileNotFoundError:
        return []
    return sorted(name.removesuffix(".yaml") for name in names if MONTH_FILE_RE.fullmatch(name))


def pairing_yaml(pairing: MonthPairing) -> str:
    """The history file of a month, one lunch a line."""
    lines = [f"# yaml-language-server: $schema={SCHEMA}", f'month: "{pairing.month}"', "pairs:"]
    lines += [f"  - [{', '.join(lunch.people)}]" for lunch in pairing.lunches]
    if not pairing.lunches:
        lines[-1] = "pairs: []"
    return "\n".join(lines) + "\n"


def write_pairing(settings: Settings, pairing: MonthPairing, *, force: bool = False) -> Path:
    """Record ``pairing`` in ``pairings/YYYY-MM.yaml``; a month already recorded is kept unless ``force``.

    A recorded month is the lunches people were told of and the history later draws avoid: drawn
    again, it would not be the same (people join, leave, move), so it is never replaced by mistake.
    """
    path = pairings_path(settings) / f"{pairing.month}.yaml"
    display = settings.display(path)
    later = [month for month in recorded_months(settings) if month > pairing.month]
    if later and not force:
        # Each month's draw avoids the pairs of the twelve before it: a month recorded after a later
        # one changes what that later draw should have been, and the history no longer replays.
        message = Message(
            "{month} is earlier than {latest}, the last month recorded: months are recorded in order, since each draw avoids "
            "the pairs of the months before it; add --force to record it all the same",
            month=pairing.month,
            latest=max(later),
        )
        raise TrombiError([Problem(display, 1, 1, message, "pairings")])
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        atomic_write(path, pairing_yaml(pairing), exclusive=not force)
    except FileExistsError:
        raise TrombiError([already_recorded(display, pairing.month)]) from None
    except OSError as error:
        message = Message("cannot write {path}: {reason}", path=display, reason=error.strerror)
        raise TrombiError([Problem(display, 1, 1, message, "pairings")]) from None
    return path


def already_recorded(display: str, month: str) -> Problem:
    """Why a month is not drawn and recorded again without ``--force``."""
    message = Message("{month} is already recorded: its lunches were announced; add --force to draw and record them again", month=month)
    return Problem(display, 1, 1, message, "pairings")


def read_pairing_file(path: Path, display: str) -> tuple[PairingFile | None, list[Problem]]:
    # Not load_file: a large company's month is bigger than the 64 KiB a profile may weigh.
    try:
        text = read_text(path)
    except NotAFile as error:
        return None, [Problem(display, 1, 1, error.about(display), error.rule)]
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(display, 1, 1, Message("cannot read the pairing history: {error}", error=str(error)), "pairings")]
    document, problems = parse_text(text, display)
    if document is None:
        return None, problems
    model, problems = check_document(document, PairingFile, "pairing")
    if model is None:
        return None, problems
    if path.stem != model.month:
        message = Message("month '{month}' does not match the file name '{name}': rename one of them", month=model.month, name=path.name)
        return None, [document.problem(("month",), message, "pairings")]
    seen: dict[str, int] = {}
    for index, lunch in enumerate(model.pairs):
        for handle in lunch:
            if handle in seen:
                message = Message("'{handle}' already has lunch in pair {number}: a person has one lunch a month", handle=handle, number=seen[handle] + 1)
                problems.append(document.problem(("pairs", index), message, "pairings"))
            seen[handle] = index
    return model, problems
