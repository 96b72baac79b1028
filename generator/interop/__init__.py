"""Taking people data in from other systems and giving it back in formats other tools read.

- :mod:`~generator.interop.backstage`: Backstage ``User`` and ``Group`` entities in
  (:mod:`~generator.interop.backstageformat` reads their files), and out
  (:mod:`~generator.interop.backstageexport`);
- :mod:`~generator.interop.hrcsv`: the HR system's CSV export, for the fields HR owns (its file and
  mapping read by :mod:`~generator.interop.hrcsvfile`);
- :mod:`~generator.interop.exports`: JSON and vCard files published with the site;
- :mod:`~generator.interop.yamlwrite`: writes people and group files as people write them.

Importers return a plan (:class:`~generator.interop.yamlwrite.Change` values) and never write
by themselves: the command shows it (``--dry-run``) or applies it.

May import: ``directory``, ``site`` and the package's ground.
"""
