"""The directory's settings, read from ``mkdocs.yml`` (section ``extra.trombi``)."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import yaml

from generator.directory.safefs import NotAFile, read_text
from generator.problems import Message, Problem, TrombiError, Words

if TYPE_CHECKING:
    from generator.i18n import Language

CONFIG_FILE = "mkdocs.yml"
PAIRINGS_DIR = "pairings"  # the lunch history (network/pairing.py); validation only keeps it free of links


@dataclass(frozen=True)
class Settings:
    """Where the directory's files are and how the site speaks; every path is under ``root``."""

    root: Path
    people_dir: str = "people"
    groups_dir: str = "groups"
    skills_file: str = "skills.yaml"
    photos_dir: str = "photos"
    sites: tuple[str, ...] = ()
    admins: tuple[str, ...] = ()
    photo_hosts: tuple[str, ...] = ()
    stale_after_months: int = 12
    news_days: int = 90
    timezone: str | None = None  # the company's; None: the first site's when known, else Europe/Paris (directory/zones.py)
    chat_url: str | None = None  # e.g. https://chat.example/{handle}: a chat handle's link
    language: str = "fr"
    site_name: str = "Trombi"
    repo_url: str | None = None
    edit_uri: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def people_path(self) -> Path:
        return self.root / self.people_dir

    @property
    def groups_path(self) -> Path:
        return self.root / self.groups_dir

    @property
    def skills_path(self) -> Path:
        return self.root / self.skills_file

    @property
    def photos_path(self) -> Path:
        return self.root / self.photos_dir

    @property
    def use_directory_urls(self) -> bool:
        """MkDocs' option: ``people/alice/`` (the default) or ``people/alice.html``."""
        return bool(self.raw.get("use_directory_urls", True))

    def gettext(self, message: str) -> str:
        """``message`` in the site's language: commands speak as the site does (generator/i18n.py)."""
        return self.words.gettext(message)

    @property
    def words(self) -> Words:
        """The site's catalogue, which problems are said through (``problems.Message``)."""
        from generator.i18n import load_language  # Babel is loaded only when there is something to say

        return load_language(self.language)

    def display(self, path: Path) -> str:
        """A path as problems show it: relative to the root, with forward slashes."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def find_root(start: Path) -> Path:
    """The directory repository holding ``start``: the nearest folder with a ``mkdocs.yml`` that
    has an ``extra.trombi`` section, or with a ``people/`` folder; ``start`` itself if none.

    The search stops at the top of the git repository, so that a folder inside another project
    never picks up a directory that happens to sit above it.
    """
    start = Path(start).absolute()
    for folder in (start, *start.parents):
        if is_directory_root(folder):
            return folder
        if (folder / ".git").exists():
            break
    return start


def is_directory_root(folder: Path) -> bool:
    """Whether ``folder`` is a directory repository: it has ``people/``, or a ``mkdocs.yml`` with ``extra.trombi``."""
    if (folder / "people").is_dir() and not (folder / "people").is_symlink():
        return True
    config = folder / CONFIG_FILE
    if not config.is_file():
        return False
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        # A broken mkdocs.yml that names the directory's settings is still where the directory
        # is: load_settings then says what is wrong with it.
        return b"trombi" in config.read_bytes()
    extra = data.get("extra") if isinstance(data, dict) else None
    return isinstance(extra, dict) and "trombi" in extra


def load_settings(root: Path) -> Settings:
    """Read ``root/mkdocs.yml``; a directory without one gets the defaults."""
    root = Path(root)
    config_path = root / CONFIG_FILE
    if not config_path.is_file() and not config_path.is_symlink():
        return Settings(root=root)
    try:
        config = yaml.load(read_text(config_path), Loader=_MkDocsLoader) or {}
    except NotAFile as error:
        raise TrombiError([Problem(CONFIG_FILE, 1, 1, error.about(CONFIG_FILE), error.rule)]) from None
    except OSError as error:
        raise TrombiError([Problem(CONFIG_FILE, 1, 1, Message("cannot read {file}: {reason}", file=CONFIG_FILE, reason=error.strerror), "config")]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        # PyYAML's and Python's own words, in English: they have no catalogue.
        message = Message("cannot read {file}: {reason}", file=CONFIG_FILE, reason=str(error))
        raise TrombiError([Problem(CONFIG_FILE, line, col, message, "config")]) from None
    return settings_from_config(root, config)


def site_words(root: Path) -> Language:
    """The language the directory at ``root`` speaks, even when its settings are wrong.

    A wrong setting is said in the site's language: only an mkdocs.yml that cannot be read at
    all (or no directory) leaves the messages in English, as written.
    """
    from generator.i18n import load_language

    try:
        config = yaml.load(read_text(Path(root) / CONFIG_FILE), Loader=_MkDocsLoader) or {}
    except FileNotFoundError:
        return load_language(Settings.language)  # no mkdocs.yml: the defaults, as load_settings gives them
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return load_language("en")
    return load_language(_language_of(config) if isinstance(config, dict) else "en")


def _language_of(config: dict[str, Any]) -> str:
    theme = config.get("theme") or {}
    # A dict when read from the file, MkDocs' Theme (a mapping of its options) inside a build.
    try:
        return str(theme["language"] or "fr")
    except (KeyError, TypeError):
        return "fr"


def settings_from_config(root: Path, config: dict[str, Any]) -> Settings:
    """Build settings from an already-read MkDocs configuration (the hook passes its own)."""
    extra = config.get("extra") or {}
    options = dict(extra.get("trombi") or {})
    known = {f.name for f in fields(Settings)} - {"root", "raw", "language", "site_name", "repo_url", "edit_uri"}
    problems = [_setting_problem(root, key, Message("unknown setting extra.trombi.{key}", key=key)) for key in sorted(set(options) - known)]
    for key, value in list(options.items()):
        expected = _SETTING_KINDS.get(key)
        if expected is None:
            continue
        if value is None:
            del options[key]  # `sites:` with nothing after it: the default
        elif expected == "list":
            if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
                message = Message("extra.trombi.{key} must be a list of names, e.g. [{example}]", key=key, example=_example(key))
                problems.append(_setting_problem(root, key, message))
            else:
                options[key] = tuple(value)
        elif expected == "zone":
            if not isinstance(value, str) or value not in _zones():
                from generator.directory.check import did_you_mean

                hint = did_you_mean(value, sorted(_zones())) if isinstance(value, str) else ""
                message = Message(
                    "extra.trombi.{key} must be an IANA time zone such as Europe/Paris, found {found}{hint}", key=key, found=repr(value), hint=hint
                )
                problems.append(_setting_problem(root, key, message))
        elif expected == "chat":
            wrong = _chat_url_problem(value)
            if wrong is not None:
                problems.append(_setting_problem(root, key, wrong))
        elif expected == "text":
            if not isinstance(value, str) or not value.strip() or "\n" in value:
                message = Message("extra.trombi.{key} must be a folder or file name of the repository", key=key)
                problems.append(_setting_problem(root, key, message))
        else:
            low, high = _SETTING_RANGES[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                message = Message(
                    "extra.trombi.{key} must be a whole number from {low} to {high}, found {found}", key=key, low=low, high=high, found=repr(value)
                )
                problems.append(_setting_problem(root, key, message))
    if problems:
        raise TrombiError(problems)
    return Settings(
        root=Path(root),
        language=_language_of(config),
        site_name=str(config.get("site_name") or "Trombi"),
        repo_url=config.get("repo_url"),
        edit_uri=config.get("edit_uri"),
        raw=dict(config),
        **options,
    )


# What each setting of extra.trombi holds: checked here, so that a wrong value is said where it is
# written rather than breaking a build far from it.
_SETTING_KINDS = {
    "people_dir": "text",
    "groups_dir": "text",
    "skills_file": "text",
    "photos_dir": "text",
    "sites": "list",
    "admins": "list",
    "photo_hosts": "list",
    "stale_after_months": "number",
    "news_days": "number",
    "timezone": "zone",
    "chat_url": "chat",
}
_SETTING_RANGES = {"stale_after_months": (1, 600), "news_days": (1, 3650)}


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())
def _chat_url_problem(value: Any) -> Message | None:
    """What is wrong with a ``chat_url`` pattern, if anything: one line, http(s), with ``{handle}`` where the handle goes."""
    if not isinstance(value, str) or any(ord(c) < 32 or ord(c) == 127 for c in value):
        return Message("extra.trombi.{key} must be a web address on one line, e.g. {example}", key="chat_url", example=CHAT_URL_EXAMPLE)
    if "{handle}" not in value:
        return Message("extra.trombi.{key} must contain {{handle}} where the chat handle goes, e.g. {example}", key="chat_url", example=CHAT_URL_EXAMPLE)
    parts = urlsplit(value.replace("{handle}", "x"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return Message("extra.trombi.{key} must be an http:// or https:// address, e.g. {example}", key="chat_url", example=CHAT_URL_EXAMPLE)
    return None


def chat_link(pattern: str, handle: str) -> str:
    """The address of a chat handle: ``@jdupont`` in ``https://chat.example/{handle}`` is
    ``https://chat.example/jdupont``. The one leading ``@`` that handles are written with is left
    out; the rest is URL-quoted, so a handle can only ever be one path or query segment."""
    return pattern.replace("{handle}", quote(handle.removeprefix("@"), safe=""))


CHAT_URL_EXAMPLE = "https://chat.example/{handle}"


def _example(key: str) -> str:
    return {"sites": "Lyon, Paris", "admins": "kbenali, tbrunet", "photo_hosts": "photos.example.com"}.get(key, "a, b")


def _setting_problem(root: Path, key: str, message: Message) -> Problem:
    """A problem at the line of ``key`` in mkdocs.yml: its last, the one YAML keeps (the file's first line if not found)."""
    line, col = 1, 1
    try:
        for number, text in enumerate(read_text(Path(root) / CONFIG_FILE).splitlines(), 1):
            stripped = text.lstrip()
            if stripped.startswith(f"{key}:"):
                line, col = number, len(text) - len(stripped) + 1
    except (OSError, NotAFile, UnicodeDecodeError):
        pass
    return Problem(CONFIG_FILE, line, col, message, "config")


class _MkDocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running anything: ``!!python/name`` and ``!ENV`` tags become None."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_MkDocsLoader.add_multi_constructor("!", _ignore_tag)
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
