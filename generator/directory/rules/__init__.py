"""Rules that a schema cannot say, one module each: a rule takes checked data and returns problems.

A rule may import the loader, the model, the problems and the settings; never the site.
"""
