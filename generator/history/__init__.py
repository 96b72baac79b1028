"""What git says about the directory: each file's last change, the news, the Atom feed.

May import: ``directory`` and the package's ground.
"""
