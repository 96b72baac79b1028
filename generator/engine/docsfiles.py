"""MkDocs' files: the generated ones, and what is read from docs/ (links to check, links not to follow, the home's text)."""

from __future__ import annotations

import gzip
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.directory.safefs import refused
from generator.problems import Problem
from generator.site.render import GENERATOR
from generator.site.sitepages import SHELL_NAME


class WrittenApart(File):
    """A file of the site that the build writes itself, beside MkDocs (:func:`generator.build.write.ahead_of_mkdocs`):
    MkDocs knows it, so that the links of its pages to it are checked, and does not write it."""

    def copy_file(self, dirty: bool = False) -> None:
        return None


def generated_file(
    config: MkDocsConfig, path: str, content: str | bytes | None = None, *, abs_src_path: str | None = None, edit: bool = True, apart: bool = False
) -> File:
    """A file of the site that comes from the directory, not from docs/; ``apart``: written by the build, not by MkDocs (:class:`WrittenApart`)."""
    if abs_src_path is not None:
        file = File.generated(config, path, abs_src_path=abs_src_path)
    else:
        inclusion = InclusionLevel.NOT_IN_NAV if path.endswith(".md") else InclusionLevel.UNDEFINED
        file = (WrittenApart if apart else File).generated(config, path, content=content or "", inclusion=inclusion)
    file.generated_by = GENERATOR
    if not edit:
        file.edit_uri = None  # pages link to their YAML file themselves
    return file


def unsafe_docs(files: Files, docs_dir: Path) -> list[Problem]:
    """Links and special files among the pages MkDocs collected from docs/, which it would copy or read through.

    Validation refused them already (``generator.directory.validate``); this is the list MkDocs will
    actually read, checked again as it stands, so a link made since is not followed either.
    """
    problems = []
    for file in files:
        if file.generated_by is not None or file.abs_src_path is None:
            continue
        try:
            mode = os.lstat(file.abs_src_path).st_mode
            relative = Path(file.abs_src_path).relative_to(docs_dir)
        except (OSError, ValueError):
            continue  # not one of docs/ (the theme's own files)
        shown = f"{docs_dir.name}/{relative.as_posix()}"
        why = refused(shown, mode)
        if why is not None:
            problems.append(Problem(shown, 1, 1, *why))
    return problems


def nav_paths(entry: object) -> Iterator[str]:
    """The docs paths of a navigation entry and its children."""
    if isinstance(entry, str):
        yield entry
    elif isinstance(entry, dict):
        for value in entry.values():
            yield from nav_paths(value)
    elif isinstance(entry, list):
        for item in entry:
            yield from nav_paths(item)


_MD_LINK = re.compile(r"""\]\(\s*<?([^)\s>#]+\.md)\b|href=["']([^"'#]+\.md)\b""")


def linked_from(files: Files) -> set[str]:
    """Docs paths that hand-written pages link to, so that those pages go through MkDocs' link checks."""
    found: set[str] = set()
    for file in files.documentation_pages():
        if file.generated_by is not None or file.abs_src_path is None:
            continue
        here = posixpath.dirname(file.src_uri)
        for match in _MD_LINK.finditer(file.content_string):
            target = match.group(1) or match.group(2)
            if "://" not in target:
                # "/x.md" is from the docs folder, "x.md" from the page's own folder.
                found.add(posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(here, target)))
    return found


def drop_shells_from_sitemap(site_dir: Path) -> None:
    """MkDocs listed the shell pages in its sitemap; they are not pages of the site."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = re.sub(r"\s*<url>(?:(?!</url>).)*" + SHELL_NAME + r".*?</url>", "", sitemap.read_text(encoding="utf-8"), flags=re.DOTALL)
    sitemap.write_text(text, encoding="utf-8")
    with gzip.GzipFile(site_dir / "sitemap.xml.gz", "wb", mtime=0) as packed:
        packed.write(text.encode("utf-8"))


def merge_home(intro: str, generated: str) -> str:
    """The HTML of a hand-written docs/index.md goes right under the generated home's title."""
    end = generated.find("</h1>")
    if end < 0:
        return f"{intro}\n{generated}"
    end += len("</h1>")
    return f"{generated[:end]}\n{intro}\n{generated[end:]}"


def strip_front_matter(text: str) -> str:
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end >= 0:
            return text[end + 4 :].lstrip("\n")
    return text
