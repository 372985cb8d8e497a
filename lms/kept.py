"""What a process keeps between requests: a least-recently-used map per app, bounded by the
bytes its keys and values hold, with a lock, as a threaded server shares it between requests.

Every per-process cache of the app is one of these (`kept_by_app(name, most)`), so that each
has a bound in bytes whatever it holds and however many distinct keys visitors make: the
comments' HTML and views and the thread pages (lms.comments), the parts of pages
(lms.fragments), step bodies (lms.content.cache) and compressed static files (lms.assets).
docs/performance.md lists them with their budgets. A key names only what changes the value,
never a raw query string.
"""

from __future__ import annotations

import dataclasses
import enum
import sys
import threading
import types
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence, Set

from flask import current_app

MB = 1024 * 1024
_ATOMS = (str, bytes, bytearray, int, float, bool, type(None), complex)
# Shared by every value that names them, and held by the process anyway: never walked.
_SHARED = (type, enum.Enum, types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.ModuleType)


def size_of(value, _seen: set[int] | None = None, _depth: int = 0) -> int:
    """Roughly the bytes `value` holds, with what it refers to: strings, containers and rows,
    dataclasses and objects' attributes (a model's loaded columns). What is reached twice counts
    once."""
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    size = sys.getsizeof(value)
    if isinstance(value, _ATOMS) or _depth > 8:
        return size
    if isinstance(value, _SHARED):
        return 0
    if isinstance(value, Mapping):
        items = [part for pair in value.items() for part in pair]
    elif isinstance(value, Sequence | Set):  # tuples, lists, sets, database rows
        items = list(value)
    elif dataclasses.is_dataclass(value):
        items = [getattr(value, f.name, None) for f in dataclasses.fields(value)]
    elif hasattr(value, "__dict__"):
        items = [v for k, v in vars(value).items() if k != "_sa_instance_state"]
    else:
        return size
    return size + sum(size_of(item, seen, _depth + 1) for item in items)


def _key_and_value_bytes(key, value) -> int:
    return size_of((key, value))  # together: what the value shares with its key counts once


class Kept:
    def __init__(self, most: int, weigh: Callable[[object, object], int] = _key_and_value_bytes):
        self.most, self.weigh, self.weight = most, weigh, 0
        self.values: OrderedDict = OrderedDict()
        self.weights: dict = {}
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.values)

    def __bool__(self) -> bool:  # a store is there even while empty (`if kept:` must not read as "none")
        return True

    def get(self, key):
        with self.lock:
            value = self.values.get(key)
            if value is not None:
                self.values.move_to_end(key)
            return value

    def keep(self, key, value) -> None:
        weight = self.weigh(key, value)  # outside the lock: it walks the value
        with self.lock:
            if key in self.values:
                del self.values[key]
                self.weight -= self.weights.pop(key)
            if weight > self.most:  # would push out everything else and still not fit
                return
            self.values[key], self.weights[key] = value, weight
            self.weight += weight
            while self.weight > self.most:
                oldest, _ = self.values.popitem(last=False)
                self.weight -= self.weights.pop(oldest)


def kept_by_app(name: str, most: int) -> Kept:
    """The app's map called `name`, bounded to `most` bytes, made on first use (each app its
    own: tests build many)."""
    kept = current_app.extensions.get(name)
    if kept is None:
        kept = current_app.extensions.setdefault(name, Kept(most))
    return kept
