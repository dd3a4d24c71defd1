"""The command groups of the ``kzrehab`` command line, one module each.

Each module defines ``register(sub: argparse._SubParsersAction) -> None``, which adds its
sub-commands with ``set_defaults(run=FUNCTION)``; ``FUNCTION(args) -> int`` returns the exit
status. Modules import heavy dependencies inside their functions, never at the top, so that
``kzrehab --help`` and ``kzrehab check`` stay fast.
"""

from __future__ import annotations

#: command modules, in the order their commands are listed by ``kzrehab --help``
MODULES = ("core", "tracker", "export", "population", "lawtest", "cache")
