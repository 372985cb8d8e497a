"""What a person's name and email address are once the invisible is taken out. Pure.

A display name is shown to everyone beside what its owner writes, so it must look like
what it is: NFKC-normalised (full-width and styled letters become plain ones), without
direction overrides, zero-width and other invisible characters, and holding at least one
letter, digit or symbol.

Two email addresses that look alike must not belong to two accounts. `email_skeleton`
maps an address to a form in which lookalikes are equal: NFKC, case-folded, accents and
other combining marks removed, invisible characters dropped, and letters from other
scripts that look like Latin ones (Cyrillic `а`, Greek `ο`, dotless `ı`) replaced by them.
It is a small, explicit version of Unicode's confusable skeleton (UTS #39) for the
letters that occur in addresses; plain ASCII addresses are their own skeleton, lowercased.
"""

from __future__ import annotations

import unicodedata

# Letters that render as nothing (Hangul fillers, the blank Braille pattern): a name of them looks empty.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Bidirectional controls and zero-width characters (all of category Cf, listed for the record).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# Cc: C0, DEL and C1 controls; Cf: format characters (bidi, zero-width, soft hyphen, tags);
# Cs: halves of surrogate pairs, which cannot be stored as UTF-8.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_VISIBLE_CATEGORIES = ("L", "N", "S")  # letters, digits, symbols; not only marks or spaces


def _invisible(char: str) -> bool:
    return char in BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def clean_display_name(name: str) -> str:
    """The name as it will be shown: NFKC, invisible characters removed, spaces collapsed.

    Returns "" when nothing visible is left (a name of direction marks, spaces or lone
    accents), which the caller refuses like an empty name.
    """
    name = unicodedata.normalize("NFKC", name or "")
    name = "".join(" " if char.isspace() else char for char in name if char.isspace() or not _invisible(char))
    name = " ".join(name.split())
    if not any(unicodedata.category(char).startswith(_VISIBLE_CATEGORIES) for char in name):
        return ""
    return name


def normalise_email(email: str) -> str:
    """An address as it is stored and looked up: NFKC, lowercased, without surrounding space."""
    return unicodedata.normalize("NFKC", email or "").strip().lower()


# Letters from other scripts (and Latin variants) that look like a plain Latin letter.
CONFUSABLES = str.maketrans(
    {
        # Latin variants
        "ı": "i",
        "ȷ": "j",
        "ɑ": "a",
        "ɡ": "g",
        "ɩ": "i",
        "ʟ": "l",
        "ℓ": "l",
        "ſ": "s",
        "ꞁ": "l",
        "ƅ": "b",
        "ɒ": "a",
        "ǀ": "l",
        "ɪ": "i",
        "ʏ": "y",
        "ᴀ": "a",
        "ᴄ": "c",
        "ᴏ": "o",
        "ᴜ": "u",
        "ᴠ": "v",
        "ᴡ": "w",
        "ᴢ": "z",
        # Cyrillic
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "һ": "h",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "ӏ": "l",
        "ү": "y",
        "ѵ": "v",
        "ь": "b",
        "г": "r",
        "п": "n",
        # Greek
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "γ": "y",
        "ω": "w",
        "ϲ": "c",
        "ϳ": "j",
        # Armenian
        "օ": "o",
        "ս": "u",
        "ց": "g",
    }
)


def email_skeleton(email: str) -> str:
    """The form in which two addresses that look alike are equal (see the module's docstring)."""
    text = normalise_email(email).casefold()
    text = unicodedata.normalize("NFD", text)
    text = "".join(char for char in text if not _invisible(char) and not unicodedata.combining(char))
    text = unicodedata.normalize("NFKC", text.translate(CONFUSABLES))
    return "".join(text.split())
