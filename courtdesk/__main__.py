"""``python -m courtdesk`` is the same as the ``courtdesk`` command."""

from courtdesk.cli import main

raise SystemExit(main())
