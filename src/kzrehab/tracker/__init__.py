"""The tracker: the laws through their git history, evaluated once per content.

- :mod:`~kzrehab.tracker.git` reads drafts as committed (``REV:PATH``), commit logs and
  last changes, and never writes to the repository;
- :mod:`~kzrehab.tracker.cache` keeps coverages and small records under content keys
  (:mod:`kzrehab.keys`), so what did not change between commits is not evaluated again;
- :mod:`~kzrehab.tracker.history` gives :func:`~kzrehab.tracker.history.log` (the laws'
  coverage at every commit that touched them) and :func:`~kzrehab.tracker.history.status`
  (every law of a directory and what it adds to the laws in force), also exported as
  ``kzrehab.log`` and ``kzrehab.status``; a log's rows go through
  :class:`~kzrehab.tracker.walk.Walk`, and :mod:`~kzrehab.tracker.ahead` makes what they
  will need on all cores first.

The package imports nothing itself: GitPython and NumPy are loaded only by the modules
that need them.
"""
