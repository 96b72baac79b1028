"""Pull requests judged by the default branch's rules: the layout a change must keep, who may
approve what (``ownership``), the platforms' logins and reviews, and the CODEOWNERS file.

May import: ``directory`` and the package's ground.
"""
