"""People meeting people: lunch pairs (``pairing`` draws them, ``lunchfiles`` keeps their history),
introductions, similar people, helpers, where a topic leads (``topics``) and the silo map.

May import: ``directory``, ``search`` (text analysis) and the package's ground.
"""
