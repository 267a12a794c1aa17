"""``python -m service.cli``: the ``healthgeo`` command (how the batch supervisor starts its workers)."""

import sys

from .main import main

if __name__ == "__main__":
    sys.exit(main())
