"""What Pagefind's index costs when its bundles are reused: from nothing, with nothing changed, with one document changed.

    python -m benchmarks.pagefind_reuse --root DIR [--bundle-pages 2000]

``DIR`` is a directory built once (``trombi synth --people 10000 --out DIR``, then ``trombi build
--root DIR``): its search documents (``.trombi/search-pages``) are copied into a scratch folder,
so the directory is left as it was, and indexed there with :func:`write_pagefind_index` in turn.
The index after the change is compared, file by file, with a fresh index of the same documents.
Prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from generator.search import pagefind
from generator.search.pagefind import DOCUMENTS_DIR, OUTPUT_DIR, PAGES_GLOB, split_pages, write_pagefind_index
from generator.search.pagefindcache import bundle_key


def measure_reuse(root: Path, bundle_pages: int) -> dict[str, Any]:
    runs: list[Path] = []
    real = pagefind._run

    def counting(executable: Path | str, source: Path, bundle: Path) -> None:
        runs.append(source)
        real(executable, source, bundle)

    pagefind._run = counting  # type: ignore[assignment]
    figures: dict[str, Any] = {"bundle_pages": bundle_pages}
    with tempfile.TemporaryDirectory(prefix="pagefind-reuse-") as scratch:
        work = Path(scratch)
        documents = work / "state" / "search-pages"
        shutil.copytree(root / DOCUMENTS_DIR, documents)
        pages = sorted(path.relative_to(documents).as_posix() for path in documents.glob(PAGES_GLOB))
        bundles = split_pages(pages, bundle_pages)
        figures["pages"], figures["bundle_sizes"] = len(pages), sorted(len(bundle) for bundle in bundles)
        started = time.perf_counter()
        for number, bundle in enumerate(bundles):
            bundle_key(documents, bundle, str(number), runtime=False, glob=PAGES_GLOB)
        figures["keys_seconds"] = round(time.perf_counter() - started, 2)

        def index(label: str, site: Path, cache: Path) -> None:
            before = len(runs)
            started = time.perf_counter()
            stats = write_pagefind_index(documents, site, pages, bundle_pages=bundle_pages, cache=cache)
            figures[label] = {"seconds": round(time.perf_counter() - started, 2), "reused": stats.reused, "pagefind_runs": len(runs) - before}

        site, cache = work / "site", work / "state" / "bundles"
        index("full", site, cache)
        index("nothing_changed", site, cache)
        changed = documents / pages[len(pages) // 2]
        changed.write_bytes(changed.read_bytes().replace(b"</body>", b"<p>changed</p></body>", 1))
        index("one_changed", site, cache)
        index("fresh_full", work / "fresh-site", work / "state" / "fresh-bundles")
        figures["identical_to_fresh"] = _tree(site) == _tree(work / "fresh-site")
        figures["files"] = len(_tree(site))
    pagefind._run = real  # type: ignore[assignment]
    return figures


def _tree(site: Path) -> dict[str, str]:
    output = site / OUTPUT_DIR
    return {path.relative_to(output).as_posix(): hashlib.blake2b(path.read_bytes()).hexdigest() for path in output.rglob("*") if path.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="a directory built once with trombi build")
    parser.add_argument("--bundle-pages", type=int, default=2000, help="pages a bundle (small, to see several)")
    arguments = parser.parse_args()
    print(json.dumps(measure_reuse(arguments.root, arguments.bundle_pages), indent=1))


if __name__ == "__main__":
    main()
