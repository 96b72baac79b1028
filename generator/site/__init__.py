"""The site's pages and files, rendered from an ``Org``: pages planned and rendered (``render``,
through ``jinja``'s templates), where each lives (``urls``), shells filled (``sitepages``),
calendars (``ics``), what the profile form reads and says (``form``, ``form_words``), the files a
build keeps for the next (``kept``), the published folder swapped in at once (``sitedir``).

May import: ``directory``, ``history``, ``network``, ``interop`` and the package's ground;
not ``search``, which reads the pages (a page's search document goes through a protocol);
never MkDocs (``engine`` is its one door).
"""
