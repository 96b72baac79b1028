"""The MkDocs adapter: MkDocs' events translated into the build's calls (``publish``), what the build
asks of MkDocs' configuration and theme (``theme``), its files (``docsfiles``), and the live server
(``serve``, and the pages it shows ahead of a rebuild, ``preview``). The one place that imports MkDocs.

May import: every stage but ``cli``.
"""
