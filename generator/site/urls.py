"""Where a page is: its URL, its file in the built site, and a link from one page to another, with or without directory URLs."""

from __future__ import annotations


def page_url(path: str, *, directory_urls: bool = True) -> str:
    """The URL of a docs path, relative to the site's root, as MkDocs names it.

    ``people/alice.md`` is ``people/alice/`` (``people/alice.html`` without directory URLs),
    ``people/index.md`` is ``people/`` (``people/index.html``), the home page is ``./``; other
    files keep their path.
    """
    if not path.endswith(".md"):
        return path
    stem = path[: -len(".md")]
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        folder = stem[: -len("index")]
        return folder or "./"
    return f"{stem}/"


def page_file(path: str, *, directory_urls: bool = True) -> str:
    """The file of the built site that the docs path ``path`` becomes: ``people/alice/index.html``."""
    url = page_url(path, directory_urls=directory_urls)
    if url == "./":
        return "index.html"
    return url + "index.html" if url.endswith("/") else url


def relative_url(target: str, here: str) -> str:
    """``target`` (a URL from the site's root) as a link from the page at URL ``here``.

    Plain string work on ``/``-separated segments: it runs for every link of every page, and
    ``posixpath.relpath`` (which asks the operating system for the current folder) was a fifth
    of a person page's rendering time.
    """
    if here == "./":
        here = ""
    if target == "./":
        target = ""
    base = here.split("/")[:-1]  # the folders of the page: "people/alice/" -> people, alice
    parts = target.split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    return "../" * (len(base) - common) + "/".join(parts[common:]) or "./"
