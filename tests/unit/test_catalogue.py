"""The Welsh catalogue is complete: every message the code marks is in it, none is missing or
fuzzy, and every translation keeps its placeholders, so no Welsh page falls back to English
words without anyone noticing and no translation breaks a sentence's values."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
WELSH = ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


def catalogue():
    with WELSH.open("rb") as f:
        return read_po(f, locale="cy")


def marked_in_code(tmp_path) -> set:
    """What `make messages` would extract from the code and templates today."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "--ignore-dirs=node_modules bench loadtest tests",
         "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as f:
        return {m.id for m in read_po(f) if m.id}


def translations(message) -> list[str]:
    return list(message.string) if isinstance(message.id, tuple) else [message.string]


def test_every_message_is_translated_and_none_is_fuzzy():
    messages = [m for m in catalogue() if m.id]
    assert len(messages) > 1000, "the interface's words should all be marked"
    missing = [m.id for m in messages if not all(translations(m))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not missing, f"{len(missing)} without Welsh, e.g. {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} marked fuzzy, e.g. {fuzzy[:5]}"


def test_no_sentence_is_left_in_english():
    """A translator's copy of the English is as missing as an empty one."""
    copied = [
        m.id
        for m in catalogue()
        if m.id and not isinstance(m.id, tuple) and len(m.id.split()) >= 3 and m.string.strip() == m.id.strip()
    ]
    assert not copied, copied[:10]


def test_the_catalogue_has_every_message_the_code_marks(tmp_path):
    known = {m.id for m in catalogue() if m.id}
    new = marked_in_code(tmp_path) - known
    assert not new, f"run `make messages` and translate: {sorted(map(str, new))[:10]}"


@pytest.mark.parametrize("plural", [False, True], ids=["singular", "plural"])
def test_translations_keep_every_placeholder(plural):
    for message in catalogue():
        if not message.id or isinstance(message.id, tuple) != plural:
            continue
        ids = message.id if plural else (message.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in translations(message):
            found = set(PLACEHOLDER.findall(text))
            # A plural form may leave the number out ("un cam"); nothing else may go or appear.
            assert found <= wanted and wanted - found <= {"num"}, (message.id, text)


def test_welsh_has_six_plural_forms():
    assert catalogue().num_plurals == 6
