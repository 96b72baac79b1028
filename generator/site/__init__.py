"""The site's pages and files, rendered from an ``Org``: templates, shells, calendars, the
published folder swapped in at once.

May import: ``directory``, ``history``, ``network``, ``search``, ``interop`` and the package's
ground; never MkDocs (``engine`` is its one door).
"""
