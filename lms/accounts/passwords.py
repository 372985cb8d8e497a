"""Password hashing with Argon2id, and what makes a new password acceptable: long enough as a
person counts, not a pattern, not common (no composition rules)."""

from __future__ import annotations

import gzip
import unicodedata
from functools import cache
from pathlib import Path

from argon2 import Parameters, PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher()  # argon2-cffi's defaults: RFC 9106's low-memory profile
# Verified when no account matches, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def set_hash_parameters(parameters: Parameters) -> None:
    """Change the Argon2 cost (the test suite uses the cheapest profile to stay fast)."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher.from_parameters(parameters)
    _DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    """The most common passwords (shipped, offline; sources in the file's header), read once.

    Only those long enough to pass the length rule are kept in memory: the length rule
    already refuses the rest, and 100,000 short strings would cost every process megabytes.
    """
    with gzip.open(Path(__file__).with_name("common_passwords.txt.gz"), "rt", encoding="utf-8") as lines:
        for line in lines:  # the header, up to the first empty line
            if not line.strip():
                break
        long_enough = (line.strip() for line in lines if len(line) > MIN_LENGTH)
        return frozenset(word for line in long_enough if len(word := visible(line).lower()) >= MIN_LENGTH)


# Characters a person does not see: zero-width spaces and joiners, bidi controls, soft hyphens
# and other formatting (Cf), control characters (Cc), and what no Unicode version assigns (Cn).
INVISIBLE = ("Cf", "Cc", "Cn")


def visible(text: str) -> str:
    """The text as a person sees it: invisible characters removed, and each letter with its
    accents (a base character and the combining marks after it) as one character."""
    text = unicodedata.normalize("NFC", text)
    return "".join(
        c for c in text if unicodedata.category(c) not in INVISIBLE and not unicodedata.combining(c) and not _is_mark(c)
    )


def _is_mark(character: str) -> bool:
    # Marks that do not combine by class (variation selectors, enclosing marks) still add no character.
    return unicodedata.category(character) in ("Mn", "Me")


def visible_length(text: str) -> int:
    return len(visible(text))


# Rows people run a finger along; a password that is a stretch of one (either way, wrapping
# round) is guessed as soon as a list of names is.
SEQUENCES = (
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)


def is_pattern(text: str) -> bool:
    """True for one character repeated (or a unit of two or three: "abababab"), and for a
    simple sequence ("abcdefgh...", "123456...", "987654...", "qwertyuiop...")."""
    letters = visible(text).lower().replace(" ", "")
    if len(letters) < 2:
        return False
    for unit in (1, 2, 3):
        if len(letters) >= unit * 3 and letters == (letters[:unit] * len(letters))[: len(letters)]:
            return True
    steps = {ord(b) - ord(a) for a, b in zip(letters, letters[1:])}
    if steps in ({1}, {-1}):  # the alphabet of any script, forwards or backwards
        return True
    return any(letters in row * 3 or letters in (row * 3)[::-1] for row in SEQUENCES)


def password_problem(password: str) -> str | None:
    """Say what is wrong with a new password, or None if it is acceptable (no composition rules).

    Characters are counted as a person sees them, so invisible ones cannot make up the length.
    """
    length = visible_length(password)
    if length < MIN_LENGTH:
        return _("Password must be at least %(least)s characters", least=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Password must be %(most)s characters or fewer", most=MAX_LENGTH)
    if is_pattern(password):
        return _("Choose a password that is not one character repeated or a sequence such as abcdef or 123456")
    if visible(password).strip().lower() in common_passwords():
        return _("This password is too common and easy to guess: choose another, such as three or four unrelated words")
    return None
