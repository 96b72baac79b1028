"""``trombi synth``: write a synthetic organisation of N fictitious people, for trials and benchmarks."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from generator.directory.settings import load_settings
from generator.problems import Message, Problem, TrombiError


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser], add_root: Callable[[argparse.ArgumentParser], None]) -> None:
    synth = commands.add_parser(
        "synth",
        help="write a synthetic directory of N fictitious people (for trials and benchmarks)",
        description="Write a complete, valid directory (mkdocs.yml, people/, groups/, skills.yaml) of N fictitious "
        "people shaped like a real company. The same seed gives the same bytes. Build it with `trombi build --root OUT`.",
    )
    synth.add_argument("--people", type=_at_least_20, required=True, metavar="N", help="how many people (20 or more)")
    synth.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    synth.add_argument("--out", type=Path, required=True, help="folder to write to; its people/ and groups/ must hold no YAML file")
    synth.set_defaults(run=run_synth)


def run_synth(args: argparse.Namespace) -> int:
    from generator.directory.synth import write_synthetic_directory

    out: Path = args.out
    try:
        summary = write_synthetic_directory(out, args.people, seed=args.seed)
    except OSError as error:
        # Its refusal of a folder that already holds profiles is said as it wrote it; the system's, after ours.
        refused = error.args[0] if error.args and isinstance(error.args[0], Message) else None
        message = refused or Message("cannot write the synthetic directory: {reason}", reason=error.strerror or str(error))
        raise TrombiError([Problem(out.as_posix(), 1, 1, message, "synth")]) from None
    from generator.i18n import load_language

    # The directory just written says its language, as any directory does.
    language = load_language(load_settings(out).language)
    counts = {key: language.number(getattr(summary, key)) for key in ("people", "groups", "skills", "files")}
    message = Message(
        "Wrote {people} people, {groups} groups and {skills} skills ({files} files) to {out} in {seconds} s; build it with `trombi build --root {out}`.",
        **counts,
        out=out,
        seconds=language.decimal(summary.seconds),
    )
    print(message.said(language))
    return 0


def _at_least_20(value: str) -> int:
    from generator.cli.main import bad_argument
    from generator.directory.synthdata import MIN_PEOPLE

    number = int(value)
    if number < MIN_PEOPLE:
        raise bad_argument(Message("a synthetic organisation needs at least {count} people", count=MIN_PEOPLE))
    return number
