"""The directory's files as files, before their content: names, places, links and special files, schema lines, photos."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

from generator.directory.load import Document, entries, suffix
from generator.directory.model import HANDLE_PATTERN, RESERVED_HANDLES
from generator.directory.settings import CONFIG_FILE, Settings
from generator.problems import Level, Message, Problem

SCHEMA_LINE = "# yaml-language-server: $schema="


def misplaced_files(settings: Settings) -> list[Problem]:
    problems = []
    for folder in (settings.people_path, settings.groups_path):
        if not folder.is_dir():
            continue
        # Names only, sorted as text: making, stat-ing and sorting 100,000 Path objects takes seconds.
        for entry in sorted(entries(folder), key=lambda entry: entry.name):
            name = entry.name
            if suffix(name) in (".yml", ".json") or (not name.startswith(".") and entry.is_dir(follow_symlinks=False)):
                problems.append(Problem(settings.display(folder / name), 1, 1, ignored(name), "file-name", Level.WARNING))
    return problems


def ignored(name: str) -> Message:
    return Message("'{name}' is ignored: the directory reads only <name>.yaml files here", name=name)


def unsafe_files(settings: Settings, paths: Sequence[Path] | None = None) -> list[Problem]:
    """Links and special files where the build reads: each is an error, never followed nor skipped in silence.

    The whole of every folder that reaches the site (the theme's own folder too: MkDocs copies
    its files), the configuration, and the build's own folder (a link there would make the build
    write, and Pagefind read, outside the repository). With ``paths`` (what a pull request
    changed), those files and the configuration only.
    """
    from generator.directory.safefs import check_path, scan
    from generator.directory.settings import PAIRINGS_DIR

    root = settings.root
    theme = settings.raw.get("theme")
    custom_dir = getattr(theme, "custom_dir", None) or (theme.get("custom_dir") if isinstance(theme, dict) else None)
    places = {
        "people_dir": settings.people_dir,
        "groups_dir": settings.groups_dir,
        "photos_dir": settings.photos_dir,
        "skills_file": settings.skills_file,
        "docs_dir": in_root(root, settings.raw.get("docs_dir") or "docs"),
        "theme.custom_dir": in_root(root, custom_dir) if custom_dir else None,
    }
    problems = check_path(root, CONFIG_FILE, CONFIG_FILE)
    folders = [PAIRINGS_DIR, ".trombi"]
    for name, value in places.items():
        if value is None:
            continue
        if Path(value).is_absolute() or ".." in Path(value).parts:
            message = Message("{setting} '{value}' leads outside the repository: name a path inside it", setting=name, value=value)
            problems.append(Problem(CONFIG_FILE, 1, 1, message, "config"))
        elif name != "skills_file":
            folders.append(value)
    if paths is not None:
        for path in paths:
            full = path if path.is_absolute() else root / path
            problems += check_path(full.parent, full.name, settings.display(full.parent) + "/" + full.name)
        return problems
    problems += check_path(root, settings.skills_file, settings.skills_file)
    for folder in folders:
        # The site the last build replaced (generator.build.state.SPARE): never read, its links removed unfollowed.
        problems += scan(root, folder, unentered={".trombi/spare"})
    return problems


def in_root(root: Path, value: str) -> str:
    """A folder of mkdocs.yml relative to the root, as written or as MkDocs made it absolute; absolute if outside."""
    path = Path(value)
    with suppress(ValueError):
        return path.relative_to(root.resolve()).as_posix() if path.is_absolute() else path.as_posix()
    return path.as_posix()


def symlinks(folder: Path) -> set[str]:
    """Names of the symlinks directly in ``folder``."""
    try:
        return {entry.name for entry in entries(folder) if entry.is_symlink()}
    except OSError:
        return set()


def valid_name(name: str) -> bool:
    import re

    return re.fullmatch(HANDLE_PATTERN, name) is not None


def bad_file_name(name: str, *, reserved: bool, person: bool) -> Message:
    """Why a file's name cannot name its person (a handle) or its group (a slug)."""
    if reserved and person:
        return Message("file name '{file}' is reserved: {reserved}; choose another handle", file=name, reserved=RESERVED_HANDLES)
    if reserved:
        return Message("file name '{file}' is reserved: {reserved}; choose another slug", file=name, reserved=RESERVED_HANDLES)
    if person:
        return Message("file name '{file}' is not a valid handle: use 2 to 40 lowercase letters, digits and '-' ({pattern})", file=name, pattern=HANDLE_PATTERN)
    return Message("file name '{file}' is not a valid slug: use 2 to 40 lowercase letters, digits and '-' ({pattern})", file=name, pattern=HANDLE_PATTERN)


def schema_line(document: Document, what: str) -> list[Problem]:
    if document.first_line.startswith(SCHEMA_LINE):
        return []
    schema = "schemas/skills.schema.json" if what == "skills" else f"../schemas/{what}.schema.json"
    message = Message("the first line should be '{line}' so editors can complete and check fields", line=SCHEMA_LINE + schema)
    return [Problem(document.path, 1, 1, message, "schema-line", Level.WARNING)]


MAX_PHOTO_BYTES = 2 * 1024 * 1024


# Types are told by content, not by name: a browser sniffs what it receives, and an SVG (an
# image that can carry script) renamed .png must not get through.
IMAGE_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"))


def photo_problem(settings: Settings, photo: str) -> Message | None:
    """Why ``photo`` cannot be published, or None: a local image file, or an https address on an allowed host."""
    if photo.lower().startswith("https://"):
        from urllib.parse import urlsplit

        host = (urlsplit(photo).hostname or "").casefold()
        if host in {h.casefold() for h in settings.photo_hosts}:
            return None
        # The site loads nothing from outside the intranet unless the directory says so.
        return Message(
            "photo host '{host}' is not allowed: add it to extra.trombi.photo_hosts in mkdocs.yml if it serves the intranet, "
            "or put the picture under {folder}/",
            host=host,
            folder=settings.photos_dir,
        )
    parts = Path(photo).parts
    folder = Path(settings.photos_dir).parts
    if Path(photo).is_absolute() or ".." in parts or tuple(parts[: len(folder)]) != folder or len(parts) <= len(folder):
        return Message("photo '{photo}' must be a file under {folder}/", photo=photo, folder=settings.photos_dir)
    path = settings.root / photo
    try:
        inside = path.resolve().is_relative_to(settings.root.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        return Message("photo '{photo}' leads outside the repository (through a symbolic link)", photo=photo)
    if not path.is_file():
        return Message("photo '{photo}' does not exist: add the file to the repository", photo=photo)
    size = path.stat().st_size
    if size > MAX_PHOTO_BYTES:
        mebibytes = format(size / 1048576, ".1f")
        return Message("photo '{photo}' is {size} MiB; the limit is 2 MiB: make it smaller", photo=photo, size=mebibytes)
    with path.open("rb") as file:
        head = file.read(32)
    if image_type(head) is None:
        return Message("photo '{photo}' is not a PNG, JPEG, GIF, WebP or AVIF image (by its content); SVG and other types are refused", photo=photo)
    return None


def image_type(head: bytes) -> str | None:
    for signature, name in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    if head[4:8] == b"ftyp" and any(brand in head[8:32] for brand in (b"avif", b"avis")):
        return "AVIF"
    return None


def given_files(settings: Settings, paths: Sequence[Path], problems: list[Problem]) -> tuple[list[Path], list[Path], bool]:
    """The people and group files among ``paths`` (resolved), and whether ``skills.yaml`` is one of them.

    Any other path is a problem: a path that is not a file of the directory is an error
    (``trombi validate README.md`` must not say that all is well).
    """
    people, groups = [], []
    root = settings.root.resolve()
    people_dir, groups_dir = settings.people_path.resolve(), settings.groups_path.resolve()
    skills_changed = False
    for path in paths:
        full = path if path.is_absolute() else (Path.cwd() / path)
        if not full.exists() and not path.is_absolute() and (root / path).exists():
            full = root / path  # relative to the directory rather than to where we run
        # The folders are resolved, the file itself never: a link is reported as a link, by the
        # check of the given paths for links, and where it points is neither read nor said.
        full = full.parent.resolve() / full.name
        if full.is_symlink():
            continue
        display = settings.display(full)
        if not full.exists():
            problems.append(Problem(display, 1, 1, Message("file not found"), "file"))
            continue
        parent = full.parent
        if full.is_dir():
            message = Message("this is a folder: give the files to check, or no path at all to check the whole directory")
            problems.append(Problem(display, 1, 1, message, "file"))
        elif parent in (people_dir, groups_dir) and full.suffix != ".yaml":
            problems.append(Problem(display, 1, 1, ignored(full.name), "file-name", Level.WARNING))
        elif parent == people_dir:
            people.append(full)
        elif parent == groups_dir:
            groups.append(full)
        elif full == settings.skills_path.resolve():
            skills_changed = True
        else:
            message = Message(
                "not a file of the directory: validate checks {people}/<handle>.yaml, {groups}/<slug>.yaml and {skills}",
                people=settings.people_dir,
                groups=settings.groups_dir,
                skills=settings.skills_file,
            )
            problems.append(Problem(display, 1, 1, message, "file"))
    return people, groups, skills_changed
