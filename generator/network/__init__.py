"""People meeting people: lunch pairs, introductions, similar people, helpers and the silo map.

May import: ``directory``, ``search`` (text analysis) and the package's ground.
"""
