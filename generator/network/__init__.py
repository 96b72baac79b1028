"""People meeting people: lunch pairs (``pairing`` draws them, ``lunchfiles`` keeps their history),
introductions, similar people, helpers, where a topic leads (``topics``), the silo map, and the
suggestions of one's own network (``circles``) with the page that keeps it (``mine``).

May import: ``directory``, ``history`` (former teams and managers, for ``circles``), ``search`` (text
analysis) and the package's ground.
"""
