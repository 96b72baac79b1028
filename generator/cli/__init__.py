"""The ``trombi`` command: parses, calls the library, prints, exits; one module per command family.

May import: everything.
"""
