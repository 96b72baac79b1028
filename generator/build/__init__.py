"""The build, engine aside: the directory read and judged, then a :class:`~generator.build.plan.SitePlan`
of everything the site will hold (``plan``), each feature adding its files through one named function
(``features``), and what is written after the engine has rendered its pages (``write``).

Nothing here knows MkDocs: :mod:`generator.engine.publish` translates its events into these calls.

May import: ``directory``, ``history``, ``search``, ``network``, ``site``, ``interop`` and the package's ground.
"""
