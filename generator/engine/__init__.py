"""The MkDocs adapter: MkDocs' events in, the site out (``publish``), and the live server
(``serve``). The one place that imports MkDocs.

May import: every stage but ``cli``.
"""
