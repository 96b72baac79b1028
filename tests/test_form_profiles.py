"""What the profile form publishes of a file (generator/site/form.py): its text without private lines, and where they were."""

from __future__ import annotations

import json

from generator.directory.load import parse_bytes
from generator.site.form import public_profile, shard_count, shard_of

PHONE = "+33 6 11 22 33 44"


def published(text: str) -> str | list[object]:
    document, _ = parse_bytes(text.encode("utf-8"), "someone")
    assert document is not None
    return public_profile(text, document)


def test_a_file_without_private_values_is_published_as_it_is() -> None:
    text = "# comment\nname: A\ncontact:\n  email: a@example.com\n"
    assert published(text) == text


def test_a_private_value_goes_with_its_lines_and_its_place_is_said() -> None:
    lines = ["name: A", "contact:", "  email: a@example.com", "  phone:", f'    value: "{PHONE}"', "    visibility: private", '  chat: "@a"']
    text = "\n".join([*lines, f"# call me on {PHONE}", "skills: [Python]", ""])
    public, private, dropped = published(text)  # type: ignore[misc]
    assert public == 'name: A\ncontact:\n  email: a@example.com\n  chat: "@a"\nskills: [Python]\n'
    assert private == [[3, 3], [4, 1]] and dropped == []
    assert PHONE not in json.dumps(published(text))


def test_contact_on_one_line_with_a_private_value_is_left_out_whole() -> None:
    text = "\r\n".join(["name: A", f'contact: {{email: a@example.com, phone: {{value: "{PHONE}", visibility: private}}}}', "bio: |", "  Hi", ""])
    public, private, dropped = published(text)  # type: ignore[misc]
    assert public == "name: A\r\nbio: |\r\n  Hi\r\n"
    assert private == [[1, 1]] and dropped == ["contact"]


def test_shards_hold_a_few_hundred_profiles_and_the_same_handle_always_lands_in_the_same_one() -> None:
    assert shard_count(1) == 1 and shard_count(256) == 1 and shard_count(257) == 2 and shard_count(100_000) == 391
    # The values assets/form.js computes for these handles (FNV-1a, 32 bits).
    assert [shard_of(handle, 1_000_003) for handle in ("jdupont", "a", "")] == [0x9CD087C9 % 1_000_003, 0xE40C292C % 1_000_003, 0x811C9DC5 % 1_000_003]
