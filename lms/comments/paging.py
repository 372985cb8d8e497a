"""How a thread is asked for: which comments, in what order, from where. Pure.

Pages are walked by keyset: a cursor holds the sort key and id of the last comment shown,
and the next page starts after it through an index, so page 50 costs what page 1 does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l

from lms.inputs import MAX_ID

# The codes are the query string's; the words are lazy, in the language of the page.
FILTERS = {"all": _l("All"), "following": _l("Following"), "mine": _l("My comments"), "bookmarked": _l("Bookmarked")}
# Newest first by default: most liked rewards early posts, not useful ones.
SORTS = {"newest": _l("Newest"), "oldest": _l("Oldest"), "liked": _l("Most liked")}
# What the list of comments is called, in each order (its aria-label).
SORTED = {
    "newest": _l("Comments, newest first"),
    "oldest": _l("Comments, oldest first"),
    "liked": _l("Comments, most liked first"),
}
PAGE_SIZE = 20
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"^(-?[0-9]{1,18})_([0-9]{1,10})$")


def time_key(moment: datetime) -> int:
    """A datetime as whole microseconds since 1970, exact (no float rounding)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def from_time_key(key: int) -> datetime:
    return EPOCH + timedelta(microseconds=key)


_FIRST_KEY, _LAST_KEY = time_key(datetime(1, 1, 2, tzinfo=UTC)), time_key(datetime(9999, 12, 30, tzinfo=UTC))


@dataclass(frozen=True)
class Cursor:
    key: int  # the sort key: microseconds since 1970, or a like count
    id: int

    def encode(self) -> str:
        return f"{self.key}_{self.id}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """The cursor written in `text`, or None unless its key is a time Python can hold
        and its id one the database can (others would fail in the query, not just miss)."""
        match = _CURSOR.match(text or "")
        if not match:
            return None
        key, id = int(match[1]), int(match[2])
        return cls(key, id) if _FIRST_KEY <= key <= _LAST_KEY and id <= MAX_ID else None

    def fits(self, sort: str) -> bool:
        """A like count is an INTEGER column: a larger key would fail in the query."""
        return sort != "liked" or abs(self.key) <= MAX_ID


@dataclass(frozen=True)
class ThreadQuery:
    show: str = "all"
    sort: str = "newest"
    after: Cursor | None = None  # the next page: what follows this comment in the order
    before: Cursor | None = None  # the previous page: what precedes it

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ThreadQuery:
        """Read the query string; anything unknown falls back to the default."""
        show = args.get("show", "all")
        sort = args.get("sort", "newest")
        sort = sort if sort in SORTS else "newest"
        after, before = (Cursor.decode(args.get(name)) for name in ("after", "before"))
        after, before = (c if c and c.fits(sort) else None for c in (after, before))
        return cls(show=show if show in FILTERS else "all", sort=sort, after=after, before=None if after else before)

    @property
    def is_first_page(self) -> bool:
        return self.after is None and self.before is None

    @property
    def descending(self) -> bool:
        return self.sort != "oldest"

    @property
    def filters(self) -> dict[str, str]:
        return FILTERS

    @property
    def sorts(self) -> dict[str, str]:
        return SORTS

    @property
    def sorted_label(self) -> str:
        return str(SORTED[self.sort])

    @property
    def args(self) -> dict[str, str]:
        """The query-string arguments of this page, as read (anything else left out)."""
        return self.link(
            after=self.after.encode() if self.after else None, before=self.before.encode() if self.before else None
        )

    def link(self, after: str | None = None, before: str | None = None) -> dict[str, str]:
        """Query-string arguments for another page of this view of the thread (defaults left out)."""
        args = {
            "show": self.show if self.show != "all" else None,
            "sort": self.sort if self.sort != "newest" else None,
            "after": after,
            "before": before,
        }
        return {key: value for key, value in args.items() if value}

    def cursor_for(self, created_at: datetime, like_count: int, comment_id: int) -> Cursor:
        return Cursor(like_count if self.sort == "liked" else time_key(created_at), comment_id)
