"""Search: the terminal's Whoosh index (``index`` writes it, ``incremental`` updates it in place,
``query`` searches it, ``whooshtext`` hands it the analysis, ``whooshio`` writes its segments)
and the browser's Pagefind index (``pagefind`` runs Pagefind, ``pagefindfiles`` rewrites its files,
``pagefindcache`` keeps its bundles for the next build,
``vocabulary`` writes what the search box suggests from); ``analysis`` cuts and folds
the words of both, and of :mod:`generator.network.matching`, without any search engine; ``ranking``
says how both rank people and read a query.

May import: ``directory``, ``site`` (the pages Pagefind reads, the publishing lock) and the package's ground.
"""
