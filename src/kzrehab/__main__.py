"""``python -m kzrehab``."""

import sys

from .cli import main

sys.exit(main())
