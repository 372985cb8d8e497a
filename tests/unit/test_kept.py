"""The per-process map (lms.kept) and a kept page's fresh values (lms.kept_pages)."""
from __future__ import annotations

import re

from lms.kept import Kept
from lms.kept_pages import _Page


def test_the_map_drops_the_least_recently_used_past_its_weight():
    kept = Kept(10, weigh=len)
    kept.keep("a", "xxxx")
    kept.keep("b", "xxxx")
    assert kept.get("a") == "xxxx"  # now the most recently used
    kept.keep("c", "xxxx")
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == ("xxxx", None, "xxxx")
    kept.keep("a", "x")  # replacing a value weighs only the new one
    assert kept.weight == 5


def test_the_map_counts_values_by_default():
    kept = Kept(2)
    for key in "abc":
        kept.keep(key, key)
    assert [kept.get(k) for k in "abc"] == [None, "b", "c"]


def test_each_fresh_value_is_new_each_time_and_the_same_wherever_it_stood():
    one, two = "a" * 32, "b" * 24
    html = f'<input value="{one}"><p>text</p><input value="{two}-7"><input value="{two}-9">'
    page = _Page.of(html, [one, two, "c" * 24], until=0)  # a value not on the page is ignored
    served = page.html()
    values = re.findall(r'value="([0-9a-f]+)', served)
    assert len(values[0]) == 32 and len(values[1]) == 24 and values[1] == values[2]
    assert one not in served and two not in served and values[0] != values[1]
    assert served.replace(values[0], "ONE").replace(values[1], "TWO") == \
        html.replace(one, "ONE").replace(two, "TWO")
    assert page.html() != served


def test_a_page_without_fresh_values_is_served_as_it_was():
    assert _Page.of("<p>plain</p>", [], until=0).html() == "<p>plain</p>"
