"""The site's pages and files, rendered from an ``Org``: templates, shells, calendars, the
published folder swapped in at once.

May import: ``directory``, ``history``, ``network``, ``interop`` and the package's ground;
not ``search``, which reads the pages (a page's search document goes through a protocol);
never MkDocs (``engine`` is its one door).
"""
