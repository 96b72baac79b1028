"""Splitting the browser's index in bundles: even, in path order, each page once."""

from __future__ import annotations

import pytest

from generator.pagefind import bundle_folders, split_pages

SPLITS = [(0, 10, [0]), (10, 10, [10]), (11, 10, [6, 5]), (100_000, 10_000, [10_000] * 10), (25, 7, [6, 6, 7, 6])]


@pytest.mark.parametrize(("pages", "size", "expected"), SPLITS)
def test_pages_are_split_in_the_fewest_even_bundles(pages: int, size: int, expected: list[int]) -> None:
    names = [f"people/p{index:06d}/index.html" for index in reversed(range(pages))]
    bundles = split_pages(names, size)
    assert [len(bundle) for bundle in bundles] == expected
    assert [name for bundle in bundles for name in bundle] == sorted(names)


def test_the_first_bundle_is_the_index_folder_itself() -> None:
    assert bundle_folders(1) == [""]
    assert bundle_folders(3) == ["", "part-2", "part-3"]
