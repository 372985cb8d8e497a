"""When a learner's modules open, and until when they may post: pure date logic.

A weekly cohort opens module N at the start of week N: week 1 opens on the cohort's start
date, week 2 seven days later, and so on, each at midnight in the UK (Europe/London, so the
moment moves with the clocks). A learner in several cohorts follows the earliest opening
among them: one self-paced cohort opens everything, and among weekly cohorts the earliest
start wins. They may post until the latest end among their cohorts (none while any of
them has no end). A learner in no cohort, and every facilitator and admin, sees everything.

No Flask, no database: `lms.learning.service.schedule_for` gives a Schedule its dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

UK = ZoneInfo("Europe/London")
WEEK = timedelta(days=7)


def uk_today(now: datetime | None = None) -> date:
    """The date in the UK at this moment (an aware time; now when not given)."""
    return (now or datetime.now(UTC)).astimezone(UK).date()


def long_date(day: date, locale: str = "en") -> str:
    """A day as people in the UK write it: 'Monday 9 March 2027'. In Welsh it is always read
    after "on" ("yn agor ddydd Llun 9 Mawrth 2027"), so it takes the adverb's soft mutation:
    'ddydd Llun 9 Mawrth 2027'. A page's words use lms.learning.access.long_date_here."""
    written = format_date(day, "EEEE d MMMM y", locale="cy" if locale == "cy" else "en_GB")
    if locale == "cy" and written.startswith("Dydd "):
        written = "ddydd " + written[len("Dydd ") :]
    return written


def opening_date(starts_on: date, module_number: int) -> date:
    """The day module `module_number` (1, 2, ...) of a weekly cohort opens."""
    return starts_on + (max(module_number, 1) - 1) * WEEK


def opening_moment(starts_on: date, module_number: int) -> datetime:
    """The moment it opens: midnight in the UK on its opening day, as an aware time."""
    return datetime.combine(opening_date(starts_on, module_number), time(0), tzinfo=UK)


@dataclass(frozen=True)
class Schedule:
    """What one learner may open today, and whether they may still post."""

    today: date
    weekly_from: date | None = None  # the start their weeks count from; None: all open
    discussions_until: date | None = None  # the last day they may post; None: no end

    @property
    def paced(self) -> bool:
        return self.weekly_from is not None

    def opens_on(self, module_number: int) -> date | None:
        """The module's opening day for this learner; None when they follow their own pace."""
        return opening_date(self.weekly_from, module_number) if self.weekly_from else None

    def is_open(self, module_number: int) -> bool:
        opens = self.opens_on(module_number)
        return opens is None or opens <= self.today

    def not_open_until(self, module_number: int) -> date | None:
        """The opening day of a module not open yet; None when it is open."""
        return None if self.is_open(module_number) else self.opens_on(module_number)

    @property
    def discussions_ended_on(self) -> date | None:
        """The end date, once it has passed (its discussions are then read-only)."""
        until = self.discussions_until
        return until if until is not None and until < self.today else None


def everything_open(today: date | None = None) -> Schedule:
    """Self-paced, no end: no cohort, or staff."""
    return Schedule(today=today or uk_today())
