"""One "program" of the two-writers test: a filing clerk registering and reading for a while.

Run as ``python -m tests.crash.writer DB USER TAG SECONDS``. It signs in like the
CLI, registers cases one transaction each, reads the docket and the case back
between writes, and prints how many cases it stored. Any error reaching it is
printed to stderr and the exit code is non-zero: the test demands none.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date

from courtdesk.domain.parties import PartyDraft
from courtdesk.services import accounts, cases, docket
from courtdesk.services.cases import CaseDraft
from courtdesk.services.docket import DocketFilter, SortKey


def main() -> int:
    path, username, tag, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    ws = accounts.sign_in(path, username, os.environ["COURTDESK_PASSWORD"])
    stored = 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            detail = cases.register_case(
                ws,
                CaseDraft(
                    "民初",
                    "civil_summary",
                    "买卖合同纠纷",
                    date(2026, 11, 20),
                    (
                        PartyDraft("原告", f"{tag}原告{stored}"),
                        PartyDraft("被告", f"{tag}被告{stored}"),
                    ),
                ),
            )
            stored += 1
            assert cases.get_case(ws, detail.id).parties[0].name == f"{tag}原告{stored - 1}"
            docket.count(ws, DocketFilter(text=f"{tag}原告"))
            docket.page(ws, DocketFilter(), SortKey.FILING_DATE, True, 0, 50)
    finally:
        ws.close()
    print(stored)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
