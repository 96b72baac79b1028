"""The ``trombi`` command: parses arguments, calls the library, prints, exits.

The library never prints or exits; its :class:`~generator.problems.TrombiError` becomes clean
``path:line:col`` messages here, and exit code 1.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.directory.settings import find_root, is_directory_root, load_settings, site_words
from generator.problems import AS_WRITTEN, FORMATTERS, Message, Problem, TrombiError, Words, counted, has_errors, said

# Commands of other areas live in their own modules, each with ``register(commands)`` that adds
# its subparsers; listed here so that ``trombi --help`` shows them all.
COMMAND_MODULES: tuple[str, ...] = (
    # one line per module, e.g. "generator.cli.search",
    "generator.cli.network",
    "generator.cli.search",
    "generator.cli.review",
    "generator.cli.synth",
    "generator.cli.interop",
)


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        print("error: " + Message("name a command (the list is above)").said(words_here()), file=sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except TrombiError as error:
        print(FORMATTERS["text"](error.problems, _site_words(args)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(Message("Interrupted.").said(_site_words(args)), file=sys.stderr)
        return 130
    except SystemExit as stop:
        # MkDocs' Abort is a SystemExit whose code is 1 and whose message is kept apart: said here, whoever raised it.
        reason = getattr(stop, "message", None) or (stop.code if isinstance(stop.code, str) else None)
        if reason:
            print(f"error: {reason}", file=sys.stderr)
        return stop.code if isinstance(stop.code, int) else 1
    except BrokenPipeError:
        raise  # the reader went away: see entry()
    except OSError as error:
        # The machine said no (a folder that cannot be written, a full disk): said, not a traceback.
        where = f": {error.filename}" if error.filename else ""
        print(f"error: {error.strerror or error}{where}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trombi",
        description="Trombi: the company's people and skills directory, kept as YAML in git and published as a static site.",
    )
    parser.add_argument("--version", action="version", version=f"trombi {__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check the directory's YAML files and report every problem",
        description="Check people/, groups/ and skills.yaml. With PATHS (the files a pull request changed), only those "
        "files and what they reference are read. Exit code 1 when there is any error.",
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files to check (default: the whole directory)")
    validate.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="text (default), github annotations, or json")
    _add_root(validate)
    validate.set_defaults(run=_validate)

    new = commands.add_parser(
        "new",
        help="write a new profile, people/HANDLE.yaml, ready to fill in",
        description="Write people/HANDLE.yaml with the schema line and a commented skeleton of every field.",
    )
    new.add_argument("handle", help="your handle: 2 to 40 lowercase letters, digits and '-'")
    new.add_argument("--name", default="", help="your full name")
    new.add_argument("--title", default="", help="your job title")
    new.add_argument("--team", default="", help="your team's slug")
    new.add_argument("--manager", default="", help="your manager's handle")
    new.add_argument("--github", default="", metavar="LOGIN", help="your GitHub login: who may approve changes to your profile")
    new.add_argument("--gitlab", default="", metavar="LOGIN", help="your GitLab login")
    new.add_argument("--no-input", action="store_true", help="ask nothing, even on a terminal (without --name and --title, questions are asked there)")
    _add_root(new)
    new.set_defaults(run=_new)

    build = commands.add_parser(
        "build",
        help="validate the directory and build its site (a broken link fails it; the directory's warnings do not, unless --strict)",
        description="Validate, then build the site with MkDocs. The previous site is replaced only when the build succeeds. "
        "The directory's warnings are shown and do not fail the build, unless --strict.",
    )
    _add_root(build)
    build.add_argument("--site-dir", type=Path, default=None, help="where to write the site (default: site_dir of mkdocs.yml)")
    build.add_argument(
        "--strict",
        action="store_true",
        help="fail on the directory's warnings too (a location outside the sites, a missing schema line...); they are shown either way",
    )
    build.set_defaults(run=_build)

    render = commands.add_parser(
        "render",
        help="write the generated Markdown pages to a folder, for inspection",
        description="Validate and render every generated page as Markdown into OUT (nothing else is built).",
    )
    _add_root(render)
    render.add_argument("--out", type=Path, required=True, help="folder to write the Markdown pages to")
    render.set_defaults(run=_render)

    serve = commands.add_parser(
        "serve",
        help="serve the site with live reload while you edit the YAML files",
        description="Build and serve the site; it rebuilds when people/, groups/, skills.yaml or photos/ change.",
    )
    _add_root(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port, 0 to 65535 (default: 8000)")
    serve.add_argument(
        "--poll",
        action="store_true",
        help="look for changes twice a second, where the file system sends no notice of them (some network shares and containers)",
    )
    serve.set_defaults(run=_serve)

    reference = commands.add_parser(
        "reference",
        help="regenerate schemas/*.json and the README's field reference from the model",
        description="Write (or with --check, verify) the JSON Schemas and the field reference derived from the model.",
    )
    reference.add_argument("--check", action="store_true", help="fail if the files are out of date instead of writing them")
    _add_root(reference)
    reference.set_defaults(run=_reference)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands, add_root=_add_root)
    return parser


def warn_in(words: Words) -> Callable[[list[Problem]], None]:
    """What a command that goes on despite warnings says first, on stderr (stdout may be data)."""

    def say(problems: list[Problem]) -> None:
        print(FORMATTERS["text"](problems, words), file=sys.stderr)

    return say


def _site_words(args: argparse.Namespace) -> Words:
    """The language the command's directory speaks (see settings.site_words)."""
    root = getattr(args, "root", None)
    return AS_WRITTEN if root is None else site_words(root)


def words_here() -> Words:
    """The language of the directory the command runs in, for what is said before its arguments are read.

    An argument is checked as it is read, when ``--root`` may not be read yet: the directory is the
    one found from the current folder, and English as written outside any.
    """
    found = find_root(Path.cwd())
    return _words_of(found) if is_directory_root(found) else AS_WRITTEN


def _words_of(root: Path) -> Words:
    try:
        return load_settings(root).words
    except (TrombiError, OSError):  # mkdocs.yml itself may be what is broken
        return AS_WRITTEN


def bad_argument(message: Message) -> argparse.ArgumentTypeError:
    """What an argument's ``type`` raises: argparse prints it after its own (English) usage line."""
    return argparse.ArgumentTypeError(message.said(words_here()))


def _port(value: str) -> int:
    """A TCP port: what the system would refuse later with a traceback is refused here with a sentence."""
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise bad_argument(Message("'{value}' is not a port: give a number from 0 to 65535", value=value))
    return int(value)


def _add_root(parser: argparse.ArgumentParser) -> None:
    # argparse converts a default given as a string with ``type``: without --root, the root is
    # looked for from the current folder up, so that a command run in people/ finds its directory.
    parser.add_argument(
        "--root",
        type=_root,
        default="",
        help="the directory repository (default: the nearest folder up from here with mkdocs.yml's extra.trombi or people/)",
    )


def _root(value: str) -> Path:
    if value:
        return Path(value)
    found = find_root(Path.cwd())
    if not is_directory_root(found):
        # Said here, not later as "the skills taxonomy is missing", nor by a profile written into
        # whatever folder the command happened to run in.
        raise bad_argument(
            Message(
                "no Trombi directory here or in a folder above (one with people/, or a mkdocs.yml with extra.trombi): "
                "run the command inside one, or give --root"
            )
        )
    return found


def _validate(args: argparse.Namespace) -> int:
    from generator.directory.validate import validate_directory

    settings = load_settings(args.root)
    paths = list(args.paths) if args.paths else None
    problems = validate_directory(settings, paths)[1]
    output = FORMATTERS[args.format](problems, settings.words)
    if output:
        print(output)
    elif args.format == "text":
        print(Message("No problems found.").said(settings.words))
    return 1 if has_errors(problems) else 0


def _build(args: argparse.Namespace) -> int:
    from generator.engine.publish import BuildStopped, ValidationFailed, build_site

    warnings: list[Problem] = []
    words = _site_words(args)
    with _mkdocs_log():
        try:
            target = build_site(args.root, args.site_dir, warnings=warnings, warnings_fail=args.strict)
        except ValidationFailed as error:
            print(FORMATTERS["text"](error.problems, words), file=sys.stderr)
            print(f"error: {said(error.reason, words)}", file=sys.stderr)
            return 1
        except BuildStopped as error:
            if warnings:
                print(FORMATTERS["text"](warnings, words), file=sys.stderr)
            print(f"error: {error.format_message()}", file=sys.stderr)
            return 1
    if warnings:
        print(FORMATTERS["text"](warnings, words), file=sys.stderr)
    print(Message("Built the site in {folder}", folder=target).said(words))
    return 0


@contextmanager
def _mkdocs_log() -> Iterator[None]:
    """MkDocs' warnings and errors (a broken link, what a strict build stopped on) on stderr, for the time of a command."""
    handler = _Said(logging.WARNING)
    mkdocs = logging.getLogger("mkdocs")
    # "trombi": what a build says outside MkDocs' count of warnings (that it waits for another build,
    # and, as notes, why it starts from nothing rather than from the previous build's state).
    trombi = logging.getLogger("trombi")
    notes = _Said(logging.INFO, notes=True)
    level = trombi.level
    trombi.setLevel(logging.INFO)
    mkdocs.addHandler(handler)
    trombi.addHandler(notes)
    try:
        yield
    finally:
        mkdocs.removeHandler(handler)
        trombi.removeHandler(notes)
        trombi.setLevel(level)


class _Said(logging.Handler):
    """``warning: message``, written to the stderr of the moment (the progress bars may have taken it over).

    A record logged with ``extra={"as_is": True}`` is a problem's own text (``file:line:col: warning: ...``), written as it is.
    """

    def __init__(self, level: int, *, notes: bool = False) -> None:
        super().__init__(level)
        self.notes = notes  # an info is a note, said as it is

    def emit(self, record: logging.LogRecord) -> None:
        try:
            as_is = getattr(record, "as_is", False) or (self.notes and record.levelno < logging.WARNING)
            text = record.getMessage() if as_is else f"{record.levelname.lower()}: {record.getMessage()}"
            print(text, file=sys.stderr, flush=True)
        except Exception:  # logging's own convention for a handler that cannot write
            self.handleError(record)


def _render(args: argparse.Namespace) -> int:
    from generator.directory.enrich import enrich
    from generator.directory.validate import valid_directory
    from generator.site.render import render_site

    count = 0
    settings = load_settings(args.root)
    for page in render_site(enrich(valid_directory(settings, warn=warn_in(settings.words)))):
        path = args.out / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.as_markdown(), encoding="utf-8")
        count += 1
    print(counted("Wrote {count} page to {folder}", "Wrote {count} pages to {folder}", count, count=count, folder=args.out).said(settings.words))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from generator.engine.serve import ServeError, serve_directory

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    # `kill` (a test, a supervisor) stops the server as Ctrl-C does: its temporary site is removed.
    signal.signal(signal.SIGTERM, _interrupt)
    with _mkdocs_log():
        try:
            serve_directory(args.root, args.host, args.port, say, poll=args.poll)
        except ServeError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _new(args: argparse.Namespace) -> int:
    from generator.directory.scaffold import check_login, check_new_profile, check_team_and_manager, write_profile

    settings = load_settings(args.root)
    team, manager = check_team_and_manager(settings, args.handle, args.team, args.manager)
    fields = {"name": args.name, "title": args.title, "team": team, "manager": manager, "github": args.github, "gitlab": args.gitlab}
    if not (args.no_input or args.name or args.title) and sys.stdin.isatty() and sys.stdout.isatty():
        from generator.cli.interactive import ask_profile

        # Before the questions, not after them.
        display = settings.display(check_new_profile(settings, args.handle))
        for kind in ("github", "gitlab"):
            check_login(display, kind, fields[kind])
        try:
            answers = ask_profile(args.handle, settings, login=not (args.github or args.gitlab))
        except EOFError:
            print("\n" + Message("Cancelled: no profile was written.").said(settings.words), file=sys.stderr)  # first ends the question's line
            return 130
        fields.update({key: value for key, value in answers.items() if key != "languages" and not fields.get(key)})
        fields["location"] = answers.get("location", "")
        languages = answers.get("languages", "fr").split(", ")
        path = write_profile(settings, args.handle, languages=languages, **fields)
    else:
        path = write_profile(settings, args.handle, **fields)
    display = settings.display(path)
    message = Message("Wrote {path}: fill it in, check it with `trombi validate {path}`, and open a pull request.", path=display)
    print(message.said(settings.words))
    return 0


def _reference(args: argparse.Namespace) -> int:
    from generator.directory.reference import SCHEMA_DIR, json_schemas, replace_reference
    from generator.network.mine import SCHEMA_FILE as NETWORK_SCHEMA_FILE
    from generator.network.mine import schema_json as network_schema

    root: Path = args.root
    words = load_settings(root).words
    expected = {Path(SCHEMA_DIR) / name: text for name, text in json_schemas().items()}
    expected[Path(SCHEMA_DIR) / NETWORK_SCHEMA_FILE] = network_schema()  # what the page My network exports and imports
    readme = root / "README.md"
    if readme.is_file():
        expected[Path("README.md")] = replace_reference(readme.read_text(encoding="utf-8"))
    stale = [path for path, text in expected.items() if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text]
    if args.check:
        message = Message("out of date with generator/directory/model.py: run `trombi reference`")
        problems = [Problem(path.as_posix(), 1, 1, message, "reference") for path in stale]
        if problems:
            raise TrombiError(problems)
        return 0
    for path in stale:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(expected[path], encoding="utf-8")
        print(Message("Wrote {path}", path=path.as_posix()).said(words))
    return 0


def entry() -> NoReturn:
    """The ``trombi`` program: :func:`main`, then out without taking the interpreter apart.

    A build leaves millions of objects behind (2.4 GiB at 100,000 people) that Python would free
    one by one on its way out, about 1.5 s for 10,000 people, in a process that is ending anyway.
    Every file a command writes is closed when it returns; what is left to print is flushed here.

    When the reader of stdout goes away (``trombi search python | head -1``), the command ends
    quietly with 141, the status of a program killed by SIGPIPE (128 + 13), as ``grep`` or ``cat``
    end in the same pipeline: a script with ``set -o pipefail`` sees trombi as it sees them.
    """
    try:
        try:
            code = main()
        except SystemExit as done:  # argparse's --help, --version and usage errors, said already
            code = done.code if isinstance(done.code, int) else 0 if done.code is None else 1
        logging.shutdown()
        sys.stdout.flush()
    except BrokenPipeError:
        # What is left in stdout's buffer has no reader: it goes to devnull, so the last flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 141
    with suppress(BrokenPipeError):
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
