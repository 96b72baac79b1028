"""The directory's files read, checked and enriched: YAML in, problems and an ``Org`` out.

filechecks (names, places, links) -> load -> check (model; ``perfile``: each file on its own, on
every core) -> validate (rules between files) -> enrich; ``settings`` reads mkdocs.yml,
``safefs`` reads files without following links, ``scaffold`` and ``synth`` write new files (``synth``
builds the organisation from ``synthdata``'s tables through ``synthpeople``, ``synthprofiles`` and
``synthwords``, and ``synthyaml`` writes it).

May import: the package's ground (``problems``, ``controls``, ``i18n``, ``progress``) and
``interop.exports`` (the published schemas, for ``reference``); nothing of the site or the engine.
"""
