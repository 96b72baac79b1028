"""Search: the terminal's Whoosh index (``index``) and the browser's Pagefind index (``pagefind``).

May import: ``directory``, ``site`` (the pages Pagefind reads, the publishing lock) and the package's ground.
"""
