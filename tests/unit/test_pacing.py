"""When a weekly cohort's modules open: week N, midnight in the UK, across the clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lms.learning.pacing import Schedule, everything_open, long_date, opening_date, opening_moment, uk_today

MONDAY = date(2027, 3, 1)


@pytest.mark.parametrize(("module", "opens"), [(1, date(2027, 3, 1)), (2, date(2027, 3, 8)), (5, date(2027, 3, 29))])
def test_module_n_opens_at_the_start_of_week_n(module, opens):
    assert opening_date(MONDAY, module) == opens


def test_week_one_opens_on_the_start_date_whatever_the_weekday():
    wednesday = date(2027, 3, 3)
    assert [opening_date(wednesday, n) for n in (1, 2, 3)] == [date(2027, 3, 3), date(2027, 3, 10), date(2027, 3, 17)]


def test_a_week_opens_at_uk_midnight_when_the_clocks_go_forward():
    # The clocks go forward at 01:00 UTC on Sunday 28 March 2027: week 2 opens at midnight BST.
    start = date(2027, 3, 22)
    assert opening_moment(start, 1).astimezone(UTC) == datetime(2027, 3, 22, 0, 0, tzinfo=UTC)
    assert opening_moment(start, 2).astimezone(UTC) == datetime(2027, 3, 28, 23, 0, tzinfo=UTC)


def test_a_week_opens_at_uk_midnight_when_the_clocks_go_back():
    # The clocks go back at 01:00 UTC on Sunday 31 October 2027.
    start = date(2027, 10, 25)
    assert opening_moment(start, 1).astimezone(UTC) == datetime(2027, 10, 24, 23, 0, tzinfo=UTC)
    assert opening_moment(start, 2).astimezone(UTC) == datetime(2027, 11, 1, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("utc", "uk_date"),
    [
        (datetime(2027, 3, 28, 22, 59, tzinfo=UTC), date(2027, 3, 28)),  # 23:59 BST
        (datetime(2027, 3, 28, 23, 0, tzinfo=UTC), date(2027, 3, 29)),  # midnight BST
        (datetime(2027, 1, 10, 23, 30, tzinfo=UTC), date(2027, 1, 10)),  # 23:30 GMT
        (datetime(2027, 10, 31, 23, 30, tzinfo=UTC), date(2027, 10, 31)),  # 23:30 GMT, the night the clocks went back
        (datetime(2027, 7, 1, 23, 30, tzinfo=UTC), date(2027, 7, 2)),  # 00:30 BST
    ],
)
def test_today_is_the_date_in_the_uk(utc, uk_date):
    assert uk_today(utc) == uk_date


def test_a_paced_schedule_opens_a_module_on_its_day_and_keeps_it_open():
    start = date(2027, 3, 22)
    day_before = Schedule(today=uk_today(datetime(2027, 3, 28, 22, 59, tzinfo=UTC)), weekly_from=start)
    opening_day = Schedule(today=uk_today(datetime(2027, 3, 28, 23, 0, tzinfo=UTC)), weekly_from=start)
    assert day_before.is_open(1) and not day_before.is_open(2)
    assert day_before.not_open_until(2) == date(2027, 3, 29)
    assert opening_day.is_open(2) and opening_day.not_open_until(2) is None
    assert not opening_day.is_open(3) and opening_day.opens_on(3) == date(2027, 4, 5)
    months_later = Schedule(today=date(2027, 9, 1), weekly_from=start)
    assert all(months_later.is_open(n) for n in range(1, 10))


def test_before_the_start_nothing_is_open():
    schedule = Schedule(today=date(2027, 2, 28), weekly_from=MONDAY)
    assert not schedule.is_open(1) and schedule.not_open_until(1) == MONDAY


def test_self_paced_opens_everything_and_gives_no_dates():
    schedule = everything_open(date(2027, 3, 1))
    assert not schedule.paced
    assert all(schedule.is_open(n) for n in range(1, 20))
    assert schedule.opens_on(2) is None and schedule.discussions_ended_on is None


def test_discussions_stay_open_through_the_end_date_and_close_the_day_after():
    end = date(2027, 6, 30)
    assert Schedule(today=end, discussions_until=end).discussions_ended_on is None
    assert Schedule(today=date(2027, 7, 1), discussions_until=end).discussions_ended_on == end
    assert Schedule(today=date(2027, 7, 1)).discussions_ended_on is None  # no end date


def test_dates_are_written_as_people_in_the_uk_read_them():
    assert long_date(date(2026, 3, 9)) == "Monday 9 March 2026"
    assert long_date(date(2027, 11, 1)) == "Monday 1 November 2027"
    # Welsh: always read after "on", so the adverb's mutation ("yn agor ddydd Llun ...")
    assert long_date(date(2026, 3, 9), "cy") == "ddydd Llun 9 Mawrth 2026"
    assert long_date(date(2027, 11, 6), "cy") == "ddydd Sadwrn 6 Tachwedd 2027"
