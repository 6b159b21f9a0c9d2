"""Errors that carry a message meant for the user.

Every layer raises these with a clear Chinese sentence that names the field, the
record or the file concerned. The GUI shows ``message`` in a dialog or beside the
field; the CLI prints it as one line and exits non-zero. Anything that is not a
``CourtdeskError`` is a bug and is reported (and logged) as such, never swallowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class CourtdeskError(Exception):
    """Base class: ``message`` is complete, user-facing text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with one field of a form.

    ``field`` is a stable key the GUI uses to find the widget (for example
    ``"parties.1.id_number"``); ``message`` names the field in words for the user.
    """

    field: str
    message: str


class ValidationError(CourtdeskError):
    """Input was refused; nothing was stored. Holds every problem found, not just the first."""

    def __init__(self, problems: Iterable[FieldProblem] | str, field: str = "") -> None:
        if isinstance(problems, str):
            problems = [FieldProblem(field, problems)]
        self.problems: tuple[FieldProblem, ...] = tuple(problems)
        super().__init__("；".join(p.message for p in self.problems))


class NotFoundError(CourtdeskError):
    """The record asked for does not exist."""


class StaleRecordError(CourtdeskError):
    """The record was changed by someone else since it was read; the save was refused."""


class PermissionDeniedError(CourtdeskError):
    """The acting user's role does not allow this."""


class DatabaseFileError(CourtdeskError):
    """The database file cannot be used: missing, not courtdesk's, too new, locked, read-only, full."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path
