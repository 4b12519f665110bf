"""``python -m qportfolio.cli``: the same as the ``qportfolio`` command."""

import sys

from . import main

sys.exit(main())
