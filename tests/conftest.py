"""What every test shares: output in English unless a test asks for another language.

The command line takes its language from ``--lang``, else ``KZREHAB_LANG``, else the locale
(:doc:`languages`); the tests that run it expect English, so the variable is set to ``en``
here. The tests of the choice itself pass their own environment.
"""

from __future__ import annotations

import os

os.environ["KZREHAB_LANG"] = "en"
