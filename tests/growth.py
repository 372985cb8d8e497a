"""How the work of a call grows with its input, counted in function calls (Python's and the C
functions it calls), which a loaded machine does not change as it changes a timer."""

from __future__ import annotations

import sys
from collections.abc import Callable


def calls_made(fn: Callable, *args) -> int:
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        fn(*args)
    finally:
        sys.setprofile(None)
    return count


def growth(fn: Callable[[str], object], make: Callable[[int], str], size: int) -> float:
    """How many times more calls `fn` makes on make(size) than on make(size // 4): about 4
    when its work grows in step with the input, about 16 when it grows with the square."""
    fn(make(8))  # anything built once, on first use, is not part of the growth
    return calls_made(fn, make(size)) / max(1, calls_made(fn, make(size // 4)))
