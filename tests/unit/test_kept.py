"""The per-process map (lms.kept)."""

from __future__ import annotations

from dataclasses import dataclass

from lms.kept import Kept, size_of


def test_the_map_drops_the_least_recently_used_past_its_weight():
    kept = Kept(10, weigh=lambda key, value: len(value))
    kept.keep("a", "xxxx")
    kept.keep("b", "xxxx")
    assert kept.get("a") == "xxxx"  # now the most recently used
    kept.keep("c", "xxxx")
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == ("xxxx", None, "xxxx")
    kept.keep("a", "x")  # replacing a value weighs only the new one
    assert kept.weight == 5


def test_the_map_can_count_values_instead():
    kept = Kept(2, weigh=lambda key, value: 1)
    for key in "abc":
        kept.keep(key, key)
    assert [kept.get(k) for k in "abc"] == [None, "b", "c"]


def test_the_map_is_bounded_in_bytes_by_default_keys_included():
    kept = Kept(10_000)
    for n in range(100):
        kept.keep(("page", "x" * 500, n), "y" * 500)  # about 1 KB each, key and value
    assert kept.weight <= 10_000 and 5 <= len(kept) <= 10
    assert kept.weight == sum(size_of((key, value)) for key, value in kept.values.items())


def test_size_of_counts_what_a_value_holds():
    text = "x" * 10_000
    assert size_of(text) >= 10_000
    assert size_of(("a" * 10_000, ["b" * 10_000], {"k": "c" * 10_000})) >= 30_000
    assert size_of((text, [text], {"k": text})) < 11_000  # one string, reached three times

    @dataclass(frozen=True)
    class View:
        body: str
        parts: tuple

    assert size_of(View("a" * 10_000, ("b" * 10_000,))) >= 20_000
    loop: list = []
    loop.append(loop)
    assert size_of(loop) < 1_000  # what refers to itself is counted once


def test_a_value_larger_than_the_whole_map_is_not_kept():
    kept = Kept(1_000)
    kept.keep("small", "s")
    kept.keep("huge", "h" * 5_000)
    assert kept.get("huge") is None and kept.get("small") == "s"


def test_database_rows_count_what_they_hold():
    import sqlalchemy as sa

    engine = sa.create_engine("sqlite://")
    with engine.connect() as connection:
        row = connection.execute(sa.text("SELECT :text AS body"), {"text": "a" * 10_000}).one()
    engine.dispose()
    assert size_of(row) >= 10_000


def test_an_empty_store_is_still_a_store():
    assert Kept(10)  # `if kept:` must not mistake an empty store for none
