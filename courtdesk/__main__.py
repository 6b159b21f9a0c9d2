"""``python -m courtdesk`` is the same as the ``courtdesk`` command."""

import multiprocessing

from courtdesk.cli import main

# A big demo makes its rows in worker processes started with "spawn": each one
# imports this module again as "__mp_main__", and must not run the program. In the
# frozen build (build.spec starts here) freeze_support() turns such a start into the
# worker it was meant to be.
if __name__ == "__main__":
    multiprocessing.freeze_support()
    raise SystemExit(main())
