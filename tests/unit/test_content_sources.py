"""The course cites its sources as links on their titles: no address is shown as text, in a
step's body or in a quiz's feedback, where a phone would have to scroll sideways to read it."""

from __future__ import annotations

import re

from lms.config import ROOT

LINK_TARGET = re.compile(r"\]\([^)\s]+\)")  # [title](address): the address is not shown
ADDRESS = re.compile(r"https?://\S+")


def test_no_source_address_is_shown_as_text():
    shown = []
    for path in sorted((ROOT / "content").rglob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for address in ADDRESS.findall(LINK_TARGET.sub("]", line)):
                shown.append(f"{path.relative_to(ROOT)}:{number}: {address}")
    assert not shown, "addresses shown as text (make each a link on the work's title):\n" + "\n".join(shown)


def test_every_source_link_has_a_title_not_an_address():
    for path in sorted((ROOT / "content").rglob("*.md")):
        for title in re.findall(r"\[([^\]]+)\]\(https?://", path.read_text(encoding="utf-8")):
            assert not ADDRESS.match(title) and len(title) > 5, f"{path}: link text {title!r}"
