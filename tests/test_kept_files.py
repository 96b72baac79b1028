"""Files kept in the build's state (generator/site/kept.py): the profile form's shards, the calendars and the silo map.

Made with a state or without, they are the same bytes: with an empty state, after one profile or
one lunch changed, the day after, and whatever was done to the entries in between.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.build import state
from generator.build.features import Planning, silo_map
from generator.build.state import STATE_DIR, check_state
from generator.directory.enrich import Org, enrich
from generator.directory.perfile import CHECKED_FILE, digests_read, stop_storing, store_checks
from generator.directory.settings import load_settings
from generator.directory.synth import write_synthetic_directory
from generator.directory.validate import valid_directory
from generator.history.git import History
from generator.i18n import load_language
from generator.network.lunchfiles import read_pairings
from generator.network.pairing import MonthPairing, site_months
from generator.site import kept
from generator.site.form import profile_shards, shard_count, shard_of
from generator.site.ics import Invitation, lunch_calendar_path, site_calendars
from generator.site.kept import KeptFiles

TODAY = date(2026, 2, 10)
PEOPLE = 600  # three shards


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synthetic")
    write_synthetic_directory(root, PEOPLE, 0)
    return root


@pytest.fixture
def root(synthetic: Path, tmp_path: Path) -> Path:
    """A copy of the synthetic directory with a build's (empty) state."""
    copy = tmp_path / "repo"
    shutil.copytree(synthetic, copy)
    check_state(copy / STATE_DIR)
    return copy


def load(root: Path) -> tuple[Org, list[MonthPairing]]:
    settings = load_settings(root)
    org = enrich(valid_directory(settings))
    return org, site_months(org, read_pairings(settings), TODAY)


@contextmanager
def without_state(root: Path) -> Iterator[None]:
    """The block runs as a test calling the makers would: no ``.trombi/``."""
    aside = root.parent / "state-aside"
    (root / STATE_DIR).rename(aside)
    try:
        yield
    finally:
        aside.rename(root / STATE_DIR)


def entries(root: Path, kind: str) -> dict[str, int]:
    """The kept entries of ``kind``, by name, with their inode: an entry written again has a new one."""
    return {entry.name: entry.stat().st_ino for entry in (root / STATE_DIR / kind).iterdir()}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# The store


def test_the_state_folder_is_the_one_the_build_stamps() -> None:
    assert (kept.STATE_DIR, kept.STATE_FILE) == (state.STATE_DIR, state.STATE_FILE)


def test_nothing_is_kept_without_a_builds_state(tmp_path: Path) -> None:
    assert KeptFiles.open(tmp_path, "form") is None
    (tmp_path / STATE_DIR).mkdir()
    assert KeptFiles.open(tmp_path, "form") is None  # a folder that no build stamped
    check_state(tmp_path / STATE_DIR)
    assert KeptFiles.open(tmp_path, "form") is not None
    elsewhere = tmp_path / "elsewhere"
    (tmp_path / STATE_DIR).rename(elsewhere)
    (tmp_path / STATE_DIR).symlink_to(elsewhere)
    assert KeptFiles.open(tmp_path, "form") is None  # a state reached through a link is nobody's


@pytest.fixture
def store(tmp_path: Path) -> KeptFiles:
    check_state(tmp_path / STATE_DIR)
    found = KeptFiles.open(tmp_path, "test")
    assert found is not None
    return found


def test_an_entry_is_used_for_its_key_only_and_whole(store: KeptFiles) -> None:
    key = store.key("a", b"b", 1, None)
    assert store.get("lunch/2026-02/a.b.ics", key) is None
    store.put("lunch/2026-02/a.b.ics", key, b"BEGIN:VCALENDAR\r\n")
    assert store.get("lunch/2026-02/a.b.ics", key) == b"BEGIN:VCALENDAR\r\n"
    assert store.get("lunch/2026-02/a.b.ics", store.key("a", b"b", 1, "")) is None  # None is not the empty text
    assert store.get("lunch/2026-02/a.b.ics", store.key("ab", b"", 1, None)) is None  # nor is one part two
    (entry,) = store.folder.iterdir()
    assert entry.parent == store.folder  # one flat folder, whatever the name
    whole = entry.read_bytes()
    for damaged in (whole[:-1], whole[:20], b"", whole[:-2] + b"X\n", whole.replace(b"trombi-kept 1", b"trombi-kept 2")):
        entry.write_bytes(damaged)
        assert store.get("lunch/2026-02/a.b.ics", key) is None, damaged
    entry.write_bytes(whole)
    assert store.get("lunch/2026-02/a.b.ics", key) == b"BEGIN:VCALENDAR\r\n"


def test_an_entry_is_never_read_through_a_link(store: KeptFiles, tmp_path: Path) -> None:
    key = store.key("x")
    store.put("x", key, b"kept")
    (entry,) = store.folder.iterdir()
    outside = tmp_path / "outside"
    entry.rename(outside)
    entry.symlink_to(outside)
    assert store.get("x", key) is None
    store.put("x", key, b"kept again")
    assert not entry.is_symlink() and outside.read_bytes().endswith(b"\nkept")  # the link was replaced, not written through


def test_a_kinds_folder_that_is_a_link_is_replaced_and_what_it_leads_to_left_alone(tmp_path: Path) -> None:
    check_state(tmp_path / STATE_DIR)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious").write_text("mine", encoding="utf-8")
    (tmp_path / STATE_DIR / "test").symlink_to(elsewhere)
    store = KeptFiles.open(tmp_path, "test")
    assert store is not None and not store.folder.is_symlink() and store.folder.is_dir()
    store.put("x", store.key("x"), b"kept")
    store.finish()
    assert [p.name for p in elsewhere.iterdir()] == ["precious"]


def test_another_stamp_makes_every_entry_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check_state(tmp_path / STATE_DIR)
    first = KeptFiles.open(tmp_path, "test")
    assert first is not None
    first.put("x", first.key("x"), b"kept")
    # Another version's stamp, written by hand as check_state would have emptied the folder.
    (tmp_path / STATE_DIR / state.STATE_FILE).write_text('{"code": "another"}', encoding="utf-8")
    second = KeptFiles.open(tmp_path, "test")
    assert second is not None and second.get("x", second.key("x")) is None


def test_the_entries_a_maker_did_not_ask_for_are_removed(store: KeptFiles) -> None:
    for name in ("a", "b", "c"):
        store.put(name, store.key(name), name.encode())
    (store.folder / ".b.x1y2.tmp").write_bytes(b"half")  # left by a build that stopped
    (store.folder / "planted").mkdir()
    again = KeptFiles(store.folder, store._namespace)
    assert again.get("a", again.key("a")) == b"a"
    again.put("c", again.key("c"), b"c2")
    again.finish()
    assert sorted(p.name for p in store.folder.iterdir()) == ["a", "c"]


# The profile form's shards


def shards(root: Path, org: Org | None = None) -> dict[str, bytes]:
    settings = load_settings(root)
    return dict(profile_shards(org or enrich(valid_directory(settings)), settings))


def test_shards_from_the_state_are_the_shards_made_and_one_profile_changed_makes_one(root: Path) -> None:
    with without_state(root):
        fresh = shards(root)
    assert len(fresh) == shard_count(PEOPLE) == 3
    assert shards(root) == fresh  # an empty state: made, and kept
    before = entries(root, "form")
    assert len(before) == 3
    assert shards(root) == fresh and entries(root, "form") == before  # the same files: every shard kept

    handle = sorted(p.stem for p in (root / "people").glob("*.yaml"))[7]
    replace_in(root / "people" / f"{handle}.yaml", "title: ", "title: Nouvelle ")
    changed = shards(root)
    with without_state(root):
        assert changed == shards(root)
    after = entries(root, "form")
    assert [name for name in after if after[name] != before[name]] == [f"edit%2Fprofiles%2F{shard_of(handle, 3)}.json.gz"]


def digested(root: Path) -> tuple[Org, dict[str, str]]:
    """The directory, and the digest of each file as a build's validation read it."""
    store_checks(root / STATE_DIR / CHECKED_FILE, "test")
    try:
        return enrich(valid_directory(load_settings(root))), digests_read()
    finally:
        stop_storing()


def test_shards_told_by_the_digests_validation_took_are_the_shards_made(root: Path) -> None:
    """A build tells a kept shard by the digests of its files that validation took, not by reading them again."""
    settings = load_settings(root)
    with without_state(root):
        fresh = shards(root)
    org, digests = digested(root)
    assert dict(profile_shards(org, settings, digests)) == fresh  # made, and kept by the digests
    before = entries(root, "form")
    assert dict(profile_shards(org, settings, digests)) == fresh and entries(root, "form") == before

    handle = sorted(p.stem for p in (root / "people").glob("*.yaml"))[7]
    replace_in(root / "people" / f"{handle}.yaml", "title: ", "title: Nouvelle ")
    org, digests = digested(root)
    changed = dict(profile_shards(org, settings, digests))
    with without_state(root):
        assert changed == shards(root)
    after = entries(root, "form")
    assert [name for name in after if after[name] != before[name]] == [f"edit%2Fprofiles%2F{shard_of(handle, 3)}.json.gz"]
    # A file validation did not digest: its shard is told by its files' bytes, and is the same.
    assert dict(profile_shards(org, settings, {k: v for k, v in digests.items() if k != f"Person:{handle}"})) == changed


def test_a_damaged_or_linked_shard_entry_is_made_again(root: Path, tmp_path: Path) -> None:
    org, _ = load(root)  # before the link is planted: validation refuses one in .trombi/
    with without_state(root):
        fresh = shards(root, org)
    shards(root, org)
    first, second, third = sorted((root / STATE_DIR / "form").iterdir())
    first.write_bytes(first.read_bytes()[:-10])  # cut short
    data = bytearray(second.read_bytes())
    data[-5] ^= 1
    second.write_bytes(bytes(data))  # changed
    shutil.copyfile(third, tmp_path / "copy")
    third.unlink()
    third.symlink_to(tmp_path / "copy")  # a link, to what was a right entry
    assert shards(root, org) == fresh
    assert not any(entry.is_symlink() for entry in (root / STATE_DIR / "form").iterdir())
    assert shards(root, org) == fresh


@pytest.mark.parametrize("spelled", ['"priv\\x61te"', '"priv\\u0061te"', '"pri\\\n    vate"'])
def test_a_private_value_spelled_with_an_escape_is_still_left_out(root: Path, spelled: str) -> None:
    people = root / "people"
    file = next(p for p in sorted(people.glob("*.yaml")) if "visibility: private}" in p.read_text(encoding="utf-8"))
    text = file.read_text(encoding="utf-8")
    phone = text.split('phone: {value: "', 1)[1].split('"', 1)[0]
    file.write_text(text.replace("visibility: private}", f"visibility: {spelled}}}"), encoding="utf-8")
    assert "private" not in file.read_text(encoding="utf-8")
    for content in (*shards(root).values(), *shards(root).values()):  # made, then kept
        assert phone not in gzip.decompress(content).decode("utf-8")
    shard = json.loads(gzip.decompress(shards(root)[f"edit/profiles/{shard_of(file.stem, 3)}.json.gz"]))
    assert isinstance(shard[file.stem], list)  # the text, and where the private lines were


# The calendars


def calendars(root: Path, org: Org, months: list[MonthPairing], today: date = TODAY) -> dict[str, bytes]:
    return dict(
        site_calendars(org, months, today=today, language=load_language("fr"), site_url="https://trombi.example/", kept=KeptFiles.open(root, "calendars"))
    )


def test_calendars_from_the_state_are_the_calendars_made_the_day_after_and_after_a_lunch_changed(root: Path) -> None:
    org, months = load(root)
    with without_state(root):
        fresh = calendars(root, org, months)
    assert len(fresh) > 100 and any(path.startswith("groups/") for path in fresh)
    assert calendars(root, org, months) == fresh
    before = entries(root, "calendars")
    assert len(before) == len(fresh)

    tomorrow = TODAY + timedelta(days=1)
    with without_state(root):
        fresh = calendars(root, org, months, tomorrow)
    assert fresh != calendars(root, org, months)
    assert calendars(root, org, months, tomorrow) == fresh
    assert entries(root, "calendars") == before  # only DTSTAMP changed: every file kept, none made

    lunch = months[0].lunches[0]
    replace_in(root / "people" / f"{lunch.people[0]}.yaml", "name: ", "name: Renommé ")
    org, months = load(root)
    with without_state(root):
        fresh = calendars(root, org, months)
    assert calendars(root, org, months) == fresh
    after = entries(root, "calendars")
    changed = [name for name in after if after[name] != before[name]]
    assert changed == [lunch_calendar_path(months[0].month, lunch).replace("/", "%2F")]


def test_a_damaged_calendar_entry_is_made_again(root: Path) -> None:
    org, months = load(root)
    with without_state(root):
        fresh = calendars(root, org, months)
    calendars(root, org, months)
    for number, entry in enumerate(sorted((root / STATE_DIR / "calendars").iterdir())[:30]):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if number % 2 else data.replace(b"DTSTAMP", b"DTSTART"))
    assert calendars(root, org, months) == fresh
    assert calendars(root, org, months) == fresh


def test_the_same_time_in_two_zones_of_the_same_offset_is_two_invitations() -> None:
    def at(zone: str) -> Invitation:
        start = datetime.combine(TODAY, time(12, 30), tzinfo=ZoneInfo(zone))
        return Invitation("Déjeuner", "lunch@trombi", TODAY, (("dtstart", start, ()),))

    assert at("Europe/Paris").key() != at("Europe/Berlin").key()
    assert at("Europe/Paris").key() == at("Europe/Paris").key()


def test_lunches_gone_are_dropped_from_the_state(root: Path) -> None:
    org, months = load(root)
    calendars(root, org, months)
    assert len(entries(root, "calendars")) > 100
    calendars(root, org, [])
    assert all(name.startswith("groups%2F") for name in entries(root, "calendars"))


# The silo map


def test_the_silo_maps_pictures_are_drawn_once_for_the_same_map(root: Path) -> None:
    org, months = load(root)
    settings = load_settings(root)
    planning = Planning(org, settings, load_language("fr"), History(), months, TODAY, None)
    with without_state(root):
        fresh = {file.path: file.content for file in silo_map(planning)}
    assert {file.path: file.content for file in silo_map(planning)} == fresh
    before = entries(root, "silos")
    assert len(before) == 2
    assert {file.path: file.content for file in silo_map(planning)} == fresh and entries(root, "silos") == before
    os.truncate(next(iter((root / STATE_DIR / "silos").iterdir())), 40)
    assert {file.path: file.content for file in silo_map(planning)} == fresh
