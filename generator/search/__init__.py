"""Search: the terminal's Whoosh index (``index`` writes it, ``query`` searches it, ``analysis``
cuts and folds the words of both, and of :mod:`generator.network.matching`) and the browser's
Pagefind index (``pagefind``).

May import: ``directory``, ``site`` (the pages Pagefind reads, the publishing lock) and the package's ground.
"""
