"""A real wheel, installed outside this checkout, builds the demo: every package and data folder ships.

An editable install reads the source tree, so it hides a folder missing from the wheel (the
templates, the theme's overrides and assets, ``generator.interop``). Here the wheel is built from
the checkout, installed into a venv of its own, and run from a folder where the source tree cannot
be imported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from tests.conftest import REPO

# What a company's directory repository holds; the generator is not in it, it comes from the wheel.
DEMO = ("mkdocs.yml", "skills.yaml", "people", "groups", "docs", "hooks", "photos", "pairings")


def test_the_wheel_ships_every_module_and_data_folder(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {name for name in names if name.startswith("generator/")}
    source = {path.relative_to(REPO).as_posix() for path in (REPO / "generator").rglob("*") if path.is_file() and "__pycache__" not in path.parts}
    assert source - shipped == set()


def test_a_wheel_installed_elsewhere_builds_the_demo(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path / "dist")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site_packages = Path(subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], text=True).strip())
    # The dependencies come from the test run's environment, added after the venv's own folder:
    # the wheel's `generator` comes first, and this checkout's editable install is never activated
    # (a .pth file's paths are added as they are; the .pth files inside them are not run).
    (site_packages / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--disable-pip-version-check", str(wheel)]
    subprocess.run(pip, check=True, capture_output=True, text=True)

    demo = tmp_path / "demo"
    demo.mkdir()
    for name in DEMO:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, demo / name)
        elif source.is_file():
            shutil.copy2(source, demo / name)
    where = subprocess.run([python, "-c", "import generator; print(generator.__file__)"], cwd=demo, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(site_packages)

    env = {**os.environ, "PYTHONPATH": ""}
    trombi = env_dir / "bin" / "trombi"
    result = subprocess.run([trombi, "build", "--site-dir", str(tmp_path / "site")], cwd=demo, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    assert len(list((site / "people").glob("*/index.html"))) == len(list((demo / "people").glob("*.yaml")))
    assert (site / "groups" / "index.html").is_file()
    assert list((site / "assets").rglob("*.css"))
    assert "Traceback" not in result.stderr


def _wheel(out: Path) -> Path:
    # No build isolation: the build backend is the locked setuptools of this environment.
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--disable-pip-version-check", "-w", str(out), str(REPO)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=out.parent)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr, result.stderr
    [wheel] = out.glob("trombi-*.whl")
    return wheel
