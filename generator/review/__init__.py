"""Pull requests judged by the default branch's rules: the layout a change must keep, who may
approve what (``ownership``), people's logins and groups' owners as a version of the files says
(``logins``), the platforms' reviews, and the CODEOWNERS file.

May import: ``directory`` and the package's ground.
"""
