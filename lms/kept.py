"""What a process keeps between requests: a least-recently-used map per app, bounded by the
total weight of what it holds (a count, or bytes), with a lock, as a threaded server shares
it between requests."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app


class Kept:
    def __init__(self, most: int, weigh: Callable[[object], int] = lambda value: 1):
        self.most, self.weigh, self.weight = most, weigh, 0
        self.values: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.values)

    def get(self, key):
        with self.lock:
            value = self.values.get(key)
            if value is not None:
                self.values.move_to_end(key)
            return value

    def keep(self, key, value) -> None:
        with self.lock:
            old = self.values.pop(key, None)
            self.weight += self.weigh(value) - (self.weigh(old) if old is not None else 0)
            self.values[key] = value
            while self.weight > self.most and self.values:
                self.weight -= self.weigh(self.values.popitem(last=False)[1])


def kept_by_app(name: str, most: int, weigh: Callable[[object], int] = lambda value: 1) -> Kept:
    """The app's map called `name`, made on first use (each app its own: tests build many)."""
    kept = current_app.extensions.get(name)
    if kept is None:
        kept = current_app.extensions[name] = Kept(most, weigh)
    return kept
