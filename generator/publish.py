"""Publishing through MkDocs: the one module of the generator that imports MkDocs.

``hooks/trombi.py`` forwards MkDocs events here; ``trombi build`` and ``trombi serve`` call
:func:`build_site` and :func:`serve_site`. Everything before (load, validate, enrich, render)
knows nothing of MkDocs, so the generator could move to another engine.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from generator.enrich import Org, enrich
from generator.i18n import load_language
from generator.problems import Problem, format_text, has_errors
from generator.render import GENERATOR, render_site
from generator.settings import Settings, settings_from_config
from generator.validate import validate_directory

log = logging.getLogger("mkdocs.plugins.trombi")

ASSETS = Path(__file__).parent / "assets"
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "admonition", "toc")
_NOINDEX = '<meta name="robots" content="noindex, nofollow">'


class ValidationFailed(Abort):
    """The directory has errors: nothing is built, the problems say where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("The directory has errors; nothing was built.\n" + format_text(problems))


class TrombiEvents:
    """State of one build: MkDocs calls the hook's functions, which call these methods."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.org: Org | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        settings = settings_from_config(root, dict(config))
        directory, problems = validate_directory(settings)
        for problem in problems:
            if not has_errors([problem]):
                log.warning(problem.as_text())
        if has_errors(problems):
            raise ValidationFailed([p for p in problems if has_errors([p])])
        self.settings = settings
        self.org = enrich(directory)
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        config.extra_css.insert(0, "assets/trombi.css")
        if not config.nav:
            config.nav = self._nav(Path(config.docs_dir))
        for path in (settings.people_path, settings.groups_path, settings.skills_path, settings.photos_path):
            if path.exists() and str(path) not in config.watch:
                config.watch.append(str(path))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.org is not None and self.settings is not None
        home = files.get_file_from_path("index.md")
        intro = home.content_string if home is not None else ""
        if home is not None:
            files.remove(home)
        for page in render_site(self.org):
            markdown = page.markdown
            if page.path == "index.md" and intro:
                markdown = _merge_home(intro, markdown)
            file = File.generated(config, page.path, content=markdown, inclusion=InclusionLevel.NOT_IN_NAV)
            file.generated_by = GENERATOR
            if page.source is not None:
                file.edit_uri = None  # pages link to their YAML file themselves
            files.append(file)
        for relative in sorted({p.photo for p in self.org.people.values() if p.photo and not p.photo.startswith("https://")}):
            source = self.settings.root / relative
            if source.is_file():
                photo = File.generated(config, relative, abs_src_path=str(source))
                photo.generated_by = GENERATOR
                files.append(photo)
        css = File.generated(config, "assets/trombi.css", abs_src_path=str(ASSETS / "trombi.css"))
        css.generated_by = GENERATOR
        files.append(css)
        return files

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        # Intranet pages stay out of search engines even if the site is exposed by mistake.
        return _noindex(output)

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        return _noindex(output) if template_name.endswith(".html") else output

    def _nav(self, docs_dir: Path) -> list[str | dict[str, str]]:
        """The sections' index pages, then the hand-written pages of docs/ (not the generated ones)."""
        assert self.settings is not None
        words = load_language(self.settings.language)
        nav: list[str | dict[str, str]] = [
            {words.gettext("Home"): "index.md"},
            {words.gettext("People"): "people/index.md"},
            {words.gettext("Skills"): "skills/index.md"},
            {words.gettext("Groups"): "groups/index.md"},
            {words.gettext("Organisation"): "org/index.md"},
        ]
        generated = {"index.md", "people", "skills", "groups", "org", "assets"}
        if docs_dir.is_dir():
            nav += sorted(p.name for p in docs_dir.glob("*.md") if p.name not in generated)
        return nav


def build_site(root: Path, site_dir: Path | None = None, *, strict: bool = True) -> Path:
    """Build the site of the directory at ``root``; replace ``site_dir`` only if all went well."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file = root / "mkdocs.yml"
    config = load_config(str(config_file), strict=strict)
    target = Path(site_dir).resolve() if site_dir else Path(config.site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    config.site_dir = str(staging)
    try:
        build(config)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace_dir(staging, target)
    return target


def serve_site(root: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    from mkdocs.commands.serve import serve

    serve(str(root / "mkdocs.yml"), open_in_browser=False, livereload=True, dev_addr=f"{host}:{port}")


def _replace_dir(staging: Path, target: Path) -> None:
    """Swap the new site in: the old one stays complete until the last moment."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _noindex(html: str) -> str:
    return html.replace("<head>", f"<head>\n    {_NOINDEX}", 1)


def _merge_home(intro: str, generated: str) -> str:
    """A hand-written docs/index.md goes right under the generated home's title."""
    marker = generated.find("\n# ")
    if marker < 0:
        return f"{_strip_front_matter(intro)}\n\n{generated}"
    end = generated.index("\n", marker + 1)
    return f"{generated[:end]}\n\n{_strip_front_matter(intro)}\n{generated[end:]}"


def _strip_front_matter(text: str) -> str:
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end >= 0:
            return text[end + 4 :].lstrip("\n")
    return text
