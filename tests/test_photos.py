"""Photos: a local image checked by its content, size and place, or an https address on an allowed host."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.directory.filechecks import MAX_PHOTO_BYTES
from generator.directory.settings import load_settings
from generator.directory.validate import validate_directory

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f80f00000101000518d84e0000000049454e44ae426082")
IMAGES = {
    "a.png": PNG,
    "a.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20,
    "a.gif": b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20,
    "a.webp": b"RIFF\x1a\x00\x00\x00WEBPVP8L" + b"\x00" * 20,
    "a.avif": b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf",
}
NOT_IMAGES = {
    "svg.png": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "html.jpg": b"<!doctype html><script>alert(1)</script>",
    "empty.gif": b"",
    "text.webp": b"RIFF but not an image at all",
}
DEV = """# yaml-language-server: $schema=../schemas/person.schema.json
name: Ana Silva
title: Développeuse
team: platform
manager: lead
photo: {photo}
"""


@pytest.fixture
def photo_problems(directory: Callable[..., Path], write: Callable[[str, str | bytes], Path]) -> Callable[..., list[str]]:
    """The photo problems of a directory whose person ``dev`` points at ``photo``."""

    def check(photo: str, files: dict[str, bytes] | None = None, hosts: str | None = None) -> list[str]:
        root = directory()
        for relative, content in (files or {}).items():
            write(relative, content)
        write("people/dev.yaml", DEV.format(photo=photo))
        if hosts is not None:
            config = (root / "mkdocs.yml").read_text(encoding="utf-8")
            (root / "mkdocs.yml").write_text(config.replace("  trombi:\n", f"  trombi:\n    photo_hosts: {hosts}\n", 1), encoding="utf-8")
        _, problems = validate_directory(load_settings(root))
        photo_ones = [p for p in problems if p.rule == "photo"]
        assert all((p.path, p.line, p.col) == ("people/dev.yaml", 6, 8) for p in photo_ones)
        return [p.message for p in photo_ones]

    return check


@pytest.mark.parametrize("name", list(IMAGES))
def test_images_told_by_their_content_are_accepted(name: str, photo_problems: Callable[..., list[str]]) -> None:
    assert photo_problems(f"photos/{name}", {f"photos/{name}": IMAGES[name]}) == []


@pytest.mark.parametrize("name", list(NOT_IMAGES))
def test_other_content_is_refused_whatever_the_name(name: str, photo_problems: Callable[..., list[str]]) -> None:
    [message] = photo_problems(f"photos/{name}", {f"photos/{name}": NOT_IMAGES[name]})
    assert "not a PNG, JPEG, GIF, WebP or AVIF image" in message and "SVG" in message


def test_a_missing_file_is_refused(photo_problems: Callable[..., list[str]]) -> None:
    [message] = photo_problems("photos/nobody.jpg")
    assert "does not exist" in message


def test_a_photo_over_two_mebibytes_is_refused(photo_problems: Callable[..., list[str]]) -> None:
    assert photo_problems("photos/max.png", {"photos/max.png": PNG.ljust(MAX_PHOTO_BYTES, b"\x00")}) == []
    [message] = photo_problems("photos/big.png", {"photos/big.png": PNG.ljust(MAX_PHOTO_BYTES + 1, b"\x00")})
    assert "the limit is 2 MiB" in message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_symlink_leading_outside_the_repository_is_refused(tmp_path: Path, photo_problems: Callable[..., list[str]]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(PNG)
    link = tmp_path / "directory" / "photos"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside, target_is_directory=True)
    [message] = photo_problems("photos/secret.png")
    assert "leads outside the repository" in message


def test_a_symlink_inside_the_repository_is_refused_too(tmp_path: Path, photo_problems: Callable[..., list[str]]) -> None:
    # The build reads no file through a link, even one that stays inside: the picture itself belongs in photos/.
    (tmp_path / "directory" / "pictures").mkdir(parents=True)
    (tmp_path / "directory" / "pictures" / "ana.png").write_bytes(PNG)
    (tmp_path / "directory" / "photos").mkdir()
    (tmp_path / "directory" / "photos" / "ana.png").symlink_to(tmp_path / "directory" / "pictures" / "ana.png")
    assert photo_problems("photos/ana.png") == []
    _, problems = validate_directory(load_settings(tmp_path / "directory"))
    assert [p.as_text() for p in problems if p.rule == "symlink"] == [
        "photos/ana.png:1:1: error: photos/ana.png is a symbolic link; the build reads no file through a link: commit the file itself [symlink]"
    ]


def test_https_photos_need_their_host_in_photo_hosts(photo_problems: Callable[..., list[str]]) -> None:
    [message] = photo_problems("https://cdn.example.com/ana.jpg")
    assert "'cdn.example.com' is not allowed" in message and "photo_hosts" in message
    assert photo_problems("https://CDN.example.com/ana.jpg", hosts="[cdn.example.com]") == []
    [message] = photo_problems("https://cdn.example.com.evil.test/ana.jpg", hosts="[cdn.example.com]")
    assert "'cdn.example.com.evil.test' is not allowed" in message


def test_photos_dir_is_the_setting(directory: Callable[..., Path], write: Callable[[str, str | bytes], Path]) -> None:
    root = directory()
    write("photos/ana.png", PNG)
    write("people/dev.yaml", DEV.format(photo="photos/ana.png"))
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  trombi:\n", "  trombi:\n    photos_dir: photos/people\n", 1), encoding="utf-8")
    _, problems = validate_directory(load_settings(root))
    assert [p.message for p in problems if p.rule == "photo"] == ["photo 'photos/ana.png' must be a file under photos/people/"]
