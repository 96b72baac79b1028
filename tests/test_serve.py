"""`trombi serve` (what `make serve` runs), for real: a server in a subprocess, pages fetched over HTTP.

While the directory does not build, every address answers with a page that lists the problems;
the site comes back when the files are fixed. The terminal hears the address and the problems.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, make_directory, write_config

TROMBI = Path(sys.executable).parent / "trombi"
BROKEN_DEV = "name: Dev\ntitle: Développeuse\nskills: [<b>Cobol</b>]\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``trombi serve`` in a subprocess; its output (stdout and stderr) read as it comes."""

    def __init__(self, root: Path, *options: str) -> None:
        self.port = _free_port()
        command = [str(TROMBI), "serve", "--root", str(root), "--port", str(self.port), *options]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, text: str, after: int = 0, timeout: float = 60) -> int:
        """The index of the first line from ``after`` on that contains ``text``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, line in enumerate(self.lines[after:], start=after):
                if text in line:
                    return index
            assert self.process.poll() is None or self._reader.is_alive(), f"the server stopped:\n{self.output}"
            time.sleep(0.1)
        raise AssertionError(f"no line with {text!r} in:\n{self.output}")

    def get(self, path: str) -> tuple[int, str, str]:
        """Status, content type and text of a page; a page that does not answer within 30 s fails the test."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as response:
                return response.status, response.headers["Content-Type"], response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.headers["Content-Type"], error.read().decode("utf-8")

    def get_until(self, path: str, expected: str, timeout: float = 60) -> tuple[int, str, str]:
        """Fetch ``path`` until its text holds ``expected`` (a rebuild takes a moment to start)."""
        deadline = time.monotonic() + timeout
        answer = self.get(path)
        while expected not in answer[2] and time.monotonic() < deadline:
            time.sleep(0.3)
            answer = self.get(path)
        assert expected in answer[2], f"{path} never showed {expected!r}; last answer {answer[0]}:\n{answer[2][:2000]}\n{self.output}"
        return answer

    def stop(self) -> int:
        self.process.terminate()
        code = self.process.wait(timeout=30)
        self._reader.join(timeout=5)
        return code


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[type[Server]]:
    started: list[Server] = []

    class Started(Server):
        def __init__(self, root: Path, *options: str) -> None:
            super().__init__(root, *options)
            started.append(self)

    yield Started
    for server in started:
        if server.process.poll() is None:
            server.stop()


def _small(tmp_path: Path, language: str = "fr") -> Path:
    return write_config(make_directory(tmp_path / "directory"), language=language)


def test_serve_shows_the_demo_site(serve: type[Server]) -> None:
    server = serve(REPO)
    server.wait_for_line(f"L’annuaire est servi à l’adresse http://127.0.0.1:{server.port}/")
    status, _, _ = server.get_until("/people/kbenali/", "Karim Benali")
    assert status == 200
    status, _, body = server.get("/nobody-here/")
    assert status == 404 and "Page introuvable" in body and "<html" in body  # the site's own page, as `mkdocs serve` shows it


def test_a_broken_file_shows_its_problems_on_every_page_until_it_is_fixed(serve: type[Server], tmp_path: Path) -> None:
    root = _small(tmp_path)
    dev = root / "people" / "dev.yaml"
    good = dev.read_text(encoding="utf-8")
    server = serve(root)
    server.wait_for_line(f"L’annuaire est servi à l’adresse http://127.0.0.1:{server.port}/")
    status, _, body = server.get_until("/people/dev/", "<html")
    assert status == 200 and "problèmes" not in body
    built = server.wait_for_line("Site construit en")

    dev.write_text(BROKEN_DEV, encoding="utf-8")
    status, content_type, body = server.get_until("/people/dev/", "L’annuaire a des problèmes")
    assert status == 503 and content_type.startswith("text/html")
    assert '<html lang="fr">' in body
    assert "people/dev.yaml:3:10" in body
    assert "&lt;b&gt;Cobol&lt;/b&gt;" in body and "<b>Cobol" not in body  # escaped, shown as text
    assert "erreur" in body
    assert "livereload" in body  # the page reloads by itself once the site builds again
    # Every address, the site's files included, answers with the same page: nothing hangs, nothing is blank.
    for path in ("/", "/groups/", "/assets/trombi.css", "/nowhere/at/all"):
        other = server.get(path)
        assert other[0] == 503 and "people/dev.yaml:3:10" in other[2], path
    # The terminal lists the problems as `trombi validate` does.
    server.wait_for_line("people/dev.yaml:3:10: error: compétence inconnue : '<b>Cobol</b>'", after=built)

    dev.write_text(good, encoding="utf-8")
    status, _, body = server.get_until("/people/dev/", "Ana Silva")
    assert status == 200 and "problèmes" not in body
    server.wait_for_line("L’annuaire se construit de nouveau", after=built)
    assert "Traceback" not in server.output


def test_an_invalid_directory_at_start_is_served_as_its_problems(serve: type[Server], tmp_path: Path) -> None:
    root = _small(tmp_path, language="en")
    (root / "people" / "dev.yaml").write_text(BROKEN_DEV, encoding="utf-8")
    server = serve(root)
    server.wait_for_line("people/dev.yaml:3:10: error: unknown skill")
    server.wait_for_line(f"Serving the directory at http://127.0.0.1:{server.port}/")  # an English site
    status, _, body = server.get("/people/dev/")
    assert status == 503
    assert '<html lang="en">' in body and "The directory has problems" in body
    assert server.process.poll() is None, "the server must keep running while the directory is broken"
    assert server.stop() == 0  # stopped as by Ctrl-C: quietly, its temporary site removed
    assert "Traceback" not in server.output


def test_a_broken_configuration_is_said_and_shown(serve: type[Server], tmp_path: Path) -> None:
    root = _small(tmp_path)
    server = serve(root)
    server.wait_for_line("Site construit en")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "theme: [\n", encoding="utf-8")
    status, _, body = server.get_until("/", "The site could not be built")
    assert status == 503
    assert "mkdocs.yml" in body
    server.wait_for_line("error: MkDocs encountered an error parsing the configuration file")
    assert "Traceback" not in server.output


def test_a_wrong_setting_is_listed_until_it_is_fixed(serve: type[Server], tmp_path: Path) -> None:
    root = _small(tmp_path)
    server = serve(root)
    built = server.wait_for_line("Site construit en")
    write_config(root, extra="    colour: red\n")  # under extra.trombi, which has no such setting
    status, _, body = server.get_until("/people/dev/", "réglage inconnu : extra.trombi.colour")
    assert status == 503 and "<code>mkdocs.yml:" in body
    server.wait_for_line("error: réglage inconnu : extra.trombi.colour [config]", after=built)
    write_config(root)
    status, _, _ = server.get_until("/people/dev/", "Ana Silva")
    assert status == 200
    assert "Traceback" not in server.output


def test_a_port_in_use_is_said_without_a_traceback(tmp_path: Path) -> None:
    root = _small(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([TROMBI, "serve", "--root", root, "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    # Said in the site's language (the test directory is French).
    assert result.stderr.strip() == (
        f"error: le port {port} est déjà pris : arrêtez l’autre serveur ou choisissez-en un autre avec --port / make serve PORT={port + 1}"
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_an_address_that_cannot_be_bound_is_said(tmp_path: Path) -> None:
    root = _small(tmp_path)
    # 192.0.2.1 (TEST-NET-1) is no address of this machine.
    result = subprocess.run([TROMBI, "serve", "--root", root, "--host", "192.0.2.1", "--port", "8000"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert re.fullmatch(r"error: impossible d’écouter sur 192\.0\.2\.1:8000 \(.+\) : choisissez une autre adresse avec --host et --port", result.stderr.strip())
    assert "Traceback" not in result.stdout + result.stderr


def test_serve_without_a_configuration_says_where_it_looked(tmp_path: Path) -> None:
    result = subprocess.run([TROMBI, "serve", "--root", tmp_path / "nowhere", "--port", str(_free_port())], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "nowhere/mkdocs.yml" in result.stderr and "--root" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


_RELOAD = re.compile(r"livereload\((\d+), \d+\);")


def _epoch(page: str) -> int:
    """The version of the site a page was served from, as MkDocs' reload script carries it."""
    found = _RELOAD.search(page)
    assert found, "no reload script in the page"
    return int(found.group(1))


def test_a_saved_profile_is_shown_before_the_rebuild_as_the_rebuild_writes_it(serve: type[Server], tmp_path: Path) -> None:
    root = _small(tmp_path)
    dev = root / "people" / "dev.yaml"
    server = serve(root)
    built = server.wait_for_line("Site construit en")

    dev.write_text(dev.read_text(encoding="utf-8").replace("title: Développeuse", "title: Développeuse Rust"), encoding="utf-8")
    shown = server.wait_for_line("Montré en", after=built)
    assert "people/dev/index.html ; le reste du site suit." in server.lines[shown]
    _, _, early = server.get("/people/dev/")
    # The rest of the site is served meanwhile, as it was: nobody waits for the rebuild.
    status, _, _ = server.get("/groups/")
    assert status == 200 and "Site construit en" not in "\n".join(server.lines[built + 1 :]), "the rebuild ended first: nothing was shown ahead of it"
    assert "Développeuse Rust" in early

    rebuilt = server.wait_for_line("Site construit en", after=shown)
    assert rebuilt > shown
    _, _, late = server.get("/people/dev/")
    assert _epoch(early) < _epoch(late)  # the first from the preview, the second from the rebuild
    assert _RELOAD.sub("", early) == _RELOAD.sub("", late)  # the page shown ahead is the page the rebuild wrote
    assert "Traceback" not in server.output


def test_what_a_preview_cannot_show_waits_for_the_rebuild(serve: type[Server], tmp_path: Path) -> None:
    root = _small(tmp_path)
    server = serve(root)
    built = server.wait_for_line("Site construit en")

    # A new profile: only the rebuild knows where it goes in lists, and its page.
    (root / "people" / "newbie.yaml").write_text("name: Nina Nouvelle\ntitle: Stagiaire\nteam: platform\nmanager: lead\n", encoding="utf-8")
    status, _, _ = server.get_until("/people/newbie/", "Nina Nouvelle")
    assert status == 200
    rebuilt = server.wait_for_line("Site construit en", after=built)
    # A saved file with an error: its problems, as before, and no page of it.
    (root / "people" / "dev.yaml").write_text(BROKEN_DEV, encoding="utf-8")
    server.get_until("/people/dev/", "L’annuaire a des problèmes")
    server.wait_for_line("people/dev.yaml:3:10", after=rebuilt)
    assert not any("Montré en" in line for line in server.lines[built:])
    assert "Traceback" not in server.output


def test_serve_can_poll_where_the_file_system_sends_no_notice(serve: type[Server], tmp_path: Path) -> None:
    root = _small(tmp_path)
    dev = root / "people" / "dev.yaml"
    server = serve(root, "--poll")
    server.wait_for_line("Site construit en")
    dev.write_text(dev.read_text(encoding="utf-8").replace("title: Développeuse", "title: Architecte"), encoding="utf-8")
    status, _, _ = server.get_until("/people/dev/", "Architecte")
    assert status == 200
