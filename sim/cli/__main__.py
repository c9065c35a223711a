"""``python -m sim.cli``: the same as the ``natosim`` command."""

import sys

from sim.cli.main import main

sys.exit(main())
