"""The per-process map (lms.kept)."""

from __future__ import annotations

from lms.kept import Kept


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
