"""Trombi: a people and skills directory kept as YAML in git, published as a static site.

The package follows the build's stages; each subpackage's docstring says what it may import, and
tests/test_layout.py holds every import to it:

- ``problems``, ``controls``, ``i18n``, ``progress``: the ground every stage stands on;
- ``directory/``: the YAML files read, checked and enriched into an ``Org``;
- ``review/``: what a pull request may change, and who must approve it;
- ``history/``: what git says (last changes, news);
- ``search/``: the terminal's Whoosh index and the browser's Pagefind index;
- ``network/``: lunch pairs, introductions, similar people, helpers, the silo map;
- ``site/``: the pages and files of the site, rendered from an ``Org``;
- ``interop/``: Backstage, the HR system's CSV, the JSON and vCard exports;
- ``engine/``: the MkDocs adapter (the one place that imports MkDocs) and the server;
- ``cli/``: the ``trombi`` command, wiring only.

Data folders stay at the package's top: ``templates/``, ``assets/``, ``overrides/``, ``locales/``.
"""

from __future__ import annotations

import os
from pathlib import Path

# NumPy's BLAS on one thread, unless told otherwise (before anything imports NumPy): Trombi forks a
# process per core for what it computes with NumPy (similar people, the skills held together, the
# silo map), and BLAS's own threads in each then wait for work spinning on the cores the other
# processes need. At 100,000 people, a merge's plan took 0.9 s less (8.6 s against 9.4, seven
# rounds each), and the whole merge 1.1 s less.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"

PACKAGE = Path(__file__).parent  # the data folders (templates, assets, overrides, locales) are under it
