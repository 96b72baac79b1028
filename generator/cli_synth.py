"""``trombi synth``: write a synthetic organisation of N fictitious people, for trials and benchmarks."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from generator.problems import Problem, TrombiError
from generator.settings import load_settings


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
    from generator.synth import write_synthetic_directory

    out: Path = args.out
    try:
        summary = write_synthetic_directory(out, args.people, seed=args.seed)
    except FileExistsError as error:
        raise TrombiError([Problem(out.as_posix(), 1, 1, f"{error}", "synth")]) from None
    except OSError as error:
        raise TrombiError([Problem(out.as_posix(), 1, 1, f"cannot write the synthetic directory: {error.strerror}", "synth")]) from None
    from generator.i18n import load_language

    # The directory just written says its language, as any directory does.
    language = load_language(load_settings(out).language)
    counts = {key: language.number(getattr(summary, key)) for key in ("people", "groups", "skills", "files")}
    message = language.gettext(
        "Wrote %(people)s people, %(groups)s groups and %(skills)s skills (%(files)s files) to %(out)s in %(seconds)s s; "
        "build it with `trombi build --root %(out)s`."
    )
    print(message % {**counts, "out": out, "seconds": f"{summary.seconds:.1f}"})
    return 0


def _at_least_20(value: str) -> int:
    from generator.synth import MIN_PEOPLE

    number = int(value)
    if number < MIN_PEOPLE:
        raise argparse.ArgumentTypeError(f"a synthetic organisation needs at least {MIN_PEOPLE} people")
    return number
