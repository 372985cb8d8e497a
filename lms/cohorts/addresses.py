"""Read a pasted list of email addresses, one a line: pure, no Flask, no database.

People paste from spreadsheets and address books, so a line may also be `Name <address>`
and may end in a comma or semicolon. Blank lines are skipped; a line that holds no single
address is given back with its number, so the admin can fix it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

MOST_LINES = 500
LONGEST = 254  # the longest address SMTP carries
_ANGLED = re.compile(r"<([^<>]*)>")


@dataclass(frozen=True)
class Addresses:
    emails: tuple[str, ...]  # lower-case, each once, in the order pasted
    bad: tuple[tuple[int, str], ...]  # (line number from 1, the line as pasted)
    lines: int  # lines that were not blank


def read_addresses(text: str) -> Addresses:
    """The addresses in `text`, and the lines that are not one address."""
    emails: dict[str, None] = {}
    bad = []
    lines = 0
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        lines += 1
        email = _address_in(line)
        if email is None:
            bad.append((number, line[:LONGEST]))
        else:
            emails.setdefault(email, None)
    return Addresses(tuple(emails), tuple(bad), lines)


def _address_in(line: str) -> str | None:
    angled = _ANGLED.findall(line)
    candidate = angled[0] if len(angled) == 1 else line
    candidate = candidate.strip().rstrip(",;").strip()
    if not candidate or len(candidate) > LONGEST or any(c.isspace() for c in candidate):
        return None
    try:
        checked = validate_email(candidate, check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.normalized.lower()
