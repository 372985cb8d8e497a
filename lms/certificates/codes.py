"""Verification codes: 16 characters of Crockford base32 (80 random bits), grouped in fours.

Pure. No I, L, O or U, so nothing is misread; reading a typed code forgives case,
spaces, missing dashes, and O/I/L typed for 0/1.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NOT_CODE = re.compile(r"[\s-]+")


def new_code() -> str:
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def _grouped(text: str) -> str:
    return "-".join(text[i : i + 4] for i in range(0, LENGTH, 4))


def read_code(typed: str) -> str | None:
    """The code in its stored form, or None if the text cannot be a code."""
    text = _NOT_CODE.sub("", (typed or "").upper()).translate(_MISREAD)
    if len(text) != LENGTH or any(c not in ALPHABET for c in text):
        return None
    return _grouped(text)
