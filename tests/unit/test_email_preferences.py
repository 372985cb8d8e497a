"""The clock email choices run on: quiet hours (across midnight, across the clock changes)
and when a daily digest falls due, on each person's own clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lms.notifications import preferences as rules


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "hour, quiet_from, quiet_until, quiet",
    [
        (23, 22, 7, True),
        (3, 22, 7, True),
        (7, 22, 7, False),  # the end hour is awake
        (21, 22, 7, False),
        (9, 8, 18, True),  # day sleepers after a night shift
        (18, 8, 18, False),
        (12, None, None, False),
        (12, 12, 12, False),
    ],
)
def test_quiet_hours_run_from_the_start_hour_up_to_the_end_hour(hour, quiet_from, quiet_until, quiet):
    assert rules.in_quiet_hours(hour, quiet_from, quiet_until) is quiet


def test_mail_is_held_until_the_end_of_quiet_hours_on_the_persons_clock():
    # 23:30 in London in winter (GMT): held until 07:00 GMT.
    assert rules.hold_until(utc(2027, 1, 10, 23, 30), "Europe/London", 22, 7) == utc(2027, 1, 11, 7)
    # In summer (BST, UTC+1), 07:00 on the clock is 06:00 UTC.
    assert rules.hold_until(utc(2027, 6, 10, 22, 30), "Europe/London", 22, 7) == utc(2027, 6, 11, 6)
    # Outside quiet hours: not held.
    assert rules.hold_until(utc(2027, 6, 10, 12, 0), "Europe/London", 22, 7) is None
    # Another time zone: 09:00 in Kolkata (UTC+5:30) is 03:30 UTC.
    assert rules.hold_until(utc(2027, 1, 10, 20, 0), "Asia/Kolkata", 0, 9) == utc(2027, 1, 11, 3, 30)


def test_quiet_hours_end_at_the_right_moment_on_the_nights_the_clocks_change():
    # Spring: clocks go forward at 01:00 GMT on 28 March 2027; 07:00 that morning is BST.
    assert rules.hold_until(utc(2027, 3, 27, 23, 30), "Europe/London", 22, 7) == utc(2027, 3, 28, 6)
    # Autumn: clocks go back at 02:00 BST on 31 October 2027; 07:00 that morning is GMT.
    assert rules.hold_until(utc(2027, 10, 30, 22, 30), "Europe/London", 22, 7) == utc(2027, 10, 31, 7)
    # Quiet hours ending at 01:00 on the spring night (an hour the clock skips) end once, at the change.
    assert rules.hold_until(utc(2027, 3, 27, 23, 30), "Europe/London", 22, 1) == utc(2027, 3, 28, 1)


def test_the_digest_falls_due_at_the_chosen_hour_on_the_persons_clock():
    # 08:00 London in winter and in summer.
    assert rules.latest_digest_moment(utc(2027, 1, 10, 9), "Europe/London", 8) == utc(2027, 1, 10, 8)
    assert rules.latest_digest_moment(utc(2027, 1, 10, 7), "Europe/London", 8) == utc(2027, 1, 9, 8)
    assert rules.latest_digest_moment(utc(2027, 6, 10, 9), "Europe/London", 8) == utc(2027, 6, 10, 7)
    assert rules.next_digest_moment(utc(2027, 6, 10, 9), "Europe/London", 8) == utc(2027, 6, 11, 7)
    # At the moment itself it is due (so the hourly run at 08:00 sends it).
    assert rules.latest_digest_moment(utc(2027, 1, 10, 8), "Europe/London", 8) == utc(2027, 1, 10, 8)


def test_a_digest_hour_the_clocks_skip_or_repeat_still_comes_once_a_day():
    # 01:00 on 28 March 2027 does not exist in London: the digest comes at the change (01:00 UTC).
    assert rules.latest_digest_moment(utc(2027, 3, 28, 3), "Europe/London", 1) == utc(2027, 3, 28, 1)
    # 01:00 on 31 October 2027 happens twice: the digest comes at the first (00:00 UTC), not again.
    assert rules.latest_digest_moment(utc(2027, 10, 31, 0, 30), "Europe/London", 1) == utc(2027, 10, 31, 0)
    assert rules.latest_digest_moment(utc(2027, 10, 31, 1, 30), "Europe/London", 1) == utc(2027, 10, 31, 0)
    # Across the spring change the gap between digests is 23 hours, not a missed day.
    before = rules.latest_digest_moment(utc(2027, 3, 27, 9), "Europe/London", 8)
    after = rules.latest_digest_moment(utc(2027, 3, 28, 9), "Europe/London", 8)
    assert (after - before).total_seconds() == 23 * 3600


def test_an_unknown_time_zone_is_read_as_uk_time():
    assert rules.zone("Mars/Olympus").key == "Europe/London"
    assert rules.latest_digest_moment(utc(2027, 1, 10, 9), "Mars/Olympus", 8) == utc(2027, 1, 10, 8)


def test_defaults_replies_and_moderation_at_once_the_rest_in_the_digest():
    assert rules.DEFAULTS == {
        "replies": "now",
        "likes": "digest",
        "followed": "digest",
        "moderation": "now",
        "reports": "digest",
        "unanswered": "digest",
    }
    assert {k.key for k in rules.kinds_for(is_staff=False)} == {"replies", "likes", "followed", "moderation"}
    assert set(rules.CHANNEL_OF) == set(rules.KINDS)  # every notification kind has an email choice
