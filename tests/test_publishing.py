"""Publishing is atomic and safe to repeat: a whole site at every instant, one build at a time, nothing left behind."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.engine.publish import build_site
from generator.problems import TrombiError
from generator.site import sitedir
from tests.conftest import make_directory, site_files, write_config

BUILD = "import sys; from pathlib import Path; from generator.engine.publish import build_site; build_site(Path(sys.argv[1]), Path(sys.argv[2]))"
# Builds one site again and again, as fast as it can: the test kills it wherever it happens to be.
BUILD_FOREVER = BUILD.replace("build_site(Path", "[build_site(Path") + " for _ in iter(int, 1)]"


def _directory(root: Path) -> Path:
    make_directory(root)
    write_config(root)
    return root


def _files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site_files(site)}


def _beside(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    base = tmp_path_factory.mktemp("publishing")
    root = _directory(base / "directory")
    return root, _files(build_site(root, base / "site"))


def test_files_and_folders_get_the_usual_permissions(reference: tuple[Path, set[str]], tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        site = build_site(reference[0], tmp_path / "site")
    finally:
        os.umask(previous)
    modes = {p: p.stat().st_mode & 0o777 for p in [site, *site.rglob("*")]}
    wrong = [f"{p.relative_to(site)} {mode:o}" for p, mode in modes.items() if mode != (0o755 if p.is_dir() else 0o644)]
    assert wrong == []


def test_what_a_killed_build_left_is_removed_by_the_next(reference: tuple[Path, set[str]], tmp_path: Path) -> None:
    site = build_site(reference[0], tmp_path / "site")
    (tmp_path / ".site.staging-k1ll3d").mkdir()
    (tmp_path / ".site.staging-k1ll3d" / "index.html").write_text("half", encoding="utf-8")
    (tmp_path / ".site.old-k1ll3d" / "site").mkdir(parents=True)
    (tmp_path / ".other-site.staging-x").mkdir()  # another site's: not ours to remove
    build_site(reference[0], site)
    assert _beside(site) == [] and (tmp_path / ".other-site.staging-x").is_dir()
    assert _files(site) == reference[1]


@pytest.mark.parametrize("step", ["chmod", "exchange", "rename"])
def test_a_failure_at_any_step_of_the_swap_keeps_a_whole_site(
    reference: tuple[Path, set[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    site = build_site(reference[0], tmp_path / "site")
    (site / "marker").write_text("old", encoding="utf-8")

    def fail(*args: object, **kwargs: object) -> bool:
        raise OSError(28, "No space left on device", str(site))

    if step == "exchange":
        monkeypatch.setattr(sitedir, "_exchange", fail)
    else:
        if step == "rename":
            monkeypatch.setattr(sitedir, "_exchange", lambda first, second: False)  # the fallback: old aside, new in
        monkeypatch.setattr(sitedir, "os", _Failing(step, fail))
    with pytest.raises(TrombiError) as caught:
        build_site(reference[0], site)
    assert "the site was not published" in str(caught.value) and "No space left on device" in str(caught.value)
    assert "the previous site is unchanged" in str(caught.value)
    assert (site / "marker").read_text(encoding="utf-8") == "old"
    assert _files(site) == reference[1] | {"marker"}
    assert _beside(site) == []


class _Failing:
    """``os`` as sitedir sees it, but one of its functions fails."""

    def __init__(self, name: str, fail: object) -> None:
        self.name, self.fail = name, fail

    def __getattr__(self, name: str) -> object:
        return self.fail if name == self.name else getattr(os, name)


def test_without_renameat2_the_old_site_is_set_aside_then_removed(reference: tuple[Path, set[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = build_site(reference[0], tmp_path / "site")
    (site / "marker").write_text("old", encoding="utf-8")
    monkeypatch.setattr(sitedir, "_exchange", lambda first, second: False)
    build_site(reference[0], site)
    assert _files(site) == reference[1] and _beside(site) == []


def test_the_site_is_never_missing_while_builds_replace_it(reference: tuple[Path, set[str]], tmp_path: Path) -> None:
    site = build_site(reference[0], tmp_path / "site")
    missing: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if not (site / "index.html").is_file() or not (site / "people" / "dev" / "index.html").is_file():
                missing.append(time.monotonic())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(3):
            subprocess.run([sys.executable, "-c", BUILD, str(reference[0]), str(site)], check=True, capture_output=True)
    finally:
        stop.set()
        watcher.join()
    assert missing == []


def test_a_build_killed_at_any_moment_leaves_a_whole_site(reference: tuple[Path, set[str]], tmp_path: Path) -> None:
    site = build_site(reference[0], tmp_path / "site")
    for delay in (0.3, 0.8, 1.3, 1.9, 2.6, 3.4, 4.3):
        builder = subprocess.Popen([sys.executable, "-c", BUILD_FOREVER, str(reference[0]), str(site)], stderr=subprocess.DEVNULL)
        time.sleep(delay)
        builder.send_signal(signal.SIGKILL)
        builder.wait()
        assert _files(site) == reference[1], f"killed after {delay} s"
    build_site(reference[0], site)
    assert _files(site) == reference[1] and _beside(site) == []


def test_a_second_build_waits_for_the_first_and_says_so(reference: tuple[Path, set[str]], tmp_path: Path) -> None:
    site = build_site(reference[0], tmp_path / "site")
    lock = tmp_path / ".site.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"4242\n")
        second = subprocess.Popen([sys.executable, "-c", BUILD, str(reference[0]), str(site)], stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert second.poll() is None  # still waiting: the two builds do not interleave
    finally:
        os.unlink(lock)  # as a finished build does
        os.close(fd)
    _, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr
    assert f"une autre construction (processus 4242) publie {site.resolve()} : attente de sa fin" in stderr
    assert _files(site) == reference[1] and _beside(site) == []


def test_two_builds_of_one_repository_take_turns_with_its_cache(reference: tuple[Path, set[str]], tmp_path: Path) -> None:
    # `trombi serve` and `trombi build` at once, into two site folders: each writes .trombi/'s
    # search documents over the other's, so the second waits for the first to end.
    root = reference[0]
    build_site(root, tmp_path / "first")
    lock = root / ".trombi" / ".build.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"4242\n")
        second = subprocess.Popen([sys.executable, "-c", BUILD, str(root), str(tmp_path / "second")], stderr=subprocess.PIPE, text=True)
        # Held until the second build says it waits: on a slow machine it may take more than a few
        # seconds to reach the lock, and a lock let go before would not be waited for.
        said: list[str] = []
        reader = threading.Thread(target=lambda: said.extend(second.stderr or []), daemon=True)
        reader.start()
        deadline = time.monotonic() + 120
        while not any("attente de sa fin" in line for line in said) and second.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert second.poll() is None and not (tmp_path / "second").exists()
    finally:
        os.unlink(lock)
        os.close(fd)
    second.wait(timeout=120)
    reader.join(timeout=10)
    stderr = "".join(said)
    assert second.returncode == 0, stderr
    assert f"une autre construction (processus 4242) publie {root / '.trombi'} : attente de sa fin" in stderr
    assert _files(tmp_path / "second") == reference[1]
    assert not lock.exists()  # let go at the end of the build


def test_a_build_that_fails_lets_go_of_the_cache(reference: tuple[Path, set[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.engine import publish

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the middle of the build")

    monkeypatch.setattr(publish, "write_site", broken)
    with pytest.raises(RuntimeError):
        build_site(reference[0], tmp_path / "site")
    assert not (reference[0] / ".trombi" / ".build.lock").exists()
    monkeypatch.undo()
    build_site(reference[0], tmp_path / "site")  # the next build does not wait


def test_a_target_that_cannot_be_written_is_a_clear_error_and_leaves_nothing(reference: tuple[Path, set[str]], tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    with pytest.raises(TrombiError) as caught:
        build_site(reference[0], blocked / "site")
    [problem] = caught.value.problems
    assert problem.rule == "publish" and problem.message.startswith(f"the site was not published: {blocked}: ")
    command = [Path(sys.executable).parent / "trombi", "build", "--root", str(reference[0]), "--site-dir", str(blocked / "site")]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr and ": error: the site was not published" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_target_is_a_clear_error_and_leaves_nothing(reference: tuple[Path, set[str]], tmp_path: Path) -> None:
    site = build_site(reference[0], tmp_path / "public" / "site")
    (tmp_path / "public").chmod(0o555)
    try:
        with pytest.raises(TrombiError, match=r"the site was not published: .*Permission denied"):
            build_site(reference[0], site)
    finally:
        (tmp_path / "public").chmod(0o755)
    assert _files(site) == reference[1] and _beside(site) == []


def test_a_full_disk_is_a_clear_error_and_keeps_the_old_site(reference: tuple[Path, set[str]], tmp_path: Path) -> None:
    site = build_site(reference[0], tmp_path / "site")
    # A file size limit makes writes fail past 2 KiB, as a full disk would (root included).
    full = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048)); "
        "from generator.cli.main import main; sys.exit(main(sys.argv[1:]))"
    )
    result = subprocess.run([sys.executable, "-c", full, "build", "--root", str(reference[0]), "--site-dir", str(site)], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "the site was not published" in result.stderr
    assert _files(site) == reference[1] and _beside(site) == []


@pytest.mark.parametrize(
    ("site_dir", "said"),
    [  # in the directory's language: French
        (".", "le dossier du site contient le dépôt de l’annuaire"),
        ("..", "le dossier du site contient le dépôt de l’annuaire"),
        ("people", "le dossier du site est le dossier people/ du dépôt"),
        ("docs/site", "le dossier du site est dans le dossier docs/ du dépôt"),
        (".git", "le dossier du site est le dossier .git/ du dépôt"),
        ("../papers", "le dossier du site contient autre chose qu’un site"),
        ("skills.yaml", "le dossier du site n’est pas un dossier"),
    ],
)
def test_the_site_is_never_published_over_the_repository_or_a_folder_that_is_not_a_site(tmp_path: Path, site_dir: str, said: str) -> None:
    root = _directory(tmp_path / "directory")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "thesis.txt").write_text("years of work", encoding="utf-8")
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    result = subprocess.run([Path(sys.executable).parent / "trombi", "build", "--site-dir", site_dir], cwd=root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "error: " + said in result.stderr and "Traceback" not in result.stderr
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


def test_a_site_is_published_over_the_site_of_an_earlier_build(tmp_path: Path) -> None:
    root = _directory(tmp_path / "directory")
    for _ in range(2):
        result = subprocess.run([Path(sys.executable).parent / "trombi", "build", "--site-dir", "site"], cwd=root, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    assert (root / "site" / "index.html").is_file()
