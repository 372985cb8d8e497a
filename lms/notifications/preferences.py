"""Email choices and the clock they run on: which kinds of news a person hears of by email,
and when (at once, in a daily digest at their hour, never), with quiet hours for people who
sleep by day after a night shift. Pure: no Flask, no database, so the time rules (DST
included) can be tested alone.

Hours are whole local hours in the person's time zone; stored times are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def N_(message: str) -> str:
    """Marks words for the Welsh catalogue (extracted by pybabel); they are translated where
    they are shown, in the reader's language (gettext(KINDS[kind], actor=...))."""
    return message


# What each kind of notification says: who and where, never the comment's words.
KINDS = {
    "reply": N_("%(actor)s replied to your comment"),
    "like": N_("%(actor)s liked your comment"),
    "followed": N_("%(actor)s, whom you follow, posted a comment"),
    "hidden": N_("A facilitator hid your comment and said why"),
    "restored": N_("A facilitator restored your comment: everyone can see it again"),
    "kept_hidden": N_("A facilitator reviewed your comment again and kept it hidden"),
    "highlighted": N_("A facilitator highlighted your comment as an educator highlight"),
}

NOW, DIGEST, OFF = "now", "digest", "off"
CHOICES = {NOW: N_("At once"), DIGEST: N_("In a daily digest"), OFF: N_("Not by email")}

# Each email kind: what the form asks, who may choose it, and its default. Notifications'
# kinds (KINDS above) map onto these in CHANNEL_OF.


@dataclass(frozen=True)
class EmailKind:
    key: str
    label: str
    hint: str
    default: str
    staff_only: bool = False
    choices: tuple[str, ...] = (NOW, DIGEST, OFF)


EMAIL_KINDS = (
    EmailKind("replies", N_("Replies to your comments"), N_("When someone replies to a comment you wrote."), NOW),
    EmailKind("likes", N_("Likes"), N_("When someone likes a comment you wrote."), DIGEST),
    EmailKind("followed", N_("People you follow"), N_("When someone you follow posts a comment."), DIGEST),
    EmailKind(
        "moderation",
        N_("Facilitators' decisions about your comments"),
        N_("When a facilitator hides, restores or highlights a comment you wrote."),
        NOW,
    ),
    EmailKind(
        "reports",
        N_("Comments waiting for moderation"),
        N_(
            "When a learner reports a comment, or asks for another look at a hidden one. "
            "Facilitators hear about their cohorts; admins about everyone."
        ),
        DIGEST,
        staff_only=True,
    ),
    EmailKind(
        "unanswered",
        N_("First comments nobody has answered for 2 days"),
        N_(
            "A learner's first comment that has had no reply after 48 hours. This comes in the daily digest, "
            "because it is about time passing rather than something happening."
        ),
        DIGEST,
        staff_only=True,
        choices=(DIGEST, OFF),
    ),
)
BY_KEY = {k.key: k for k in EMAIL_KINDS}
DEFAULTS = {k.key: k.default for k in EMAIL_KINDS}
CHANNEL_OF = {
    "reply": "replies",
    "like": "likes",
    "followed": "followed",
    "hidden": "moderation",
    "restored": "moderation",
    "kept_hidden": "moderation",
    "highlighted": "moderation",
}
DIGEST_KEY = "digest"  # the unsubscribe link in a digest stops the digest (every kind in it)

LONDON = "Europe/London"
TIME_ZONES = {
    LONDON: N_("UK time (London)"),
    "Europe/Dublin": N_("Ireland (Dublin)"),
    "Europe/Paris": N_("Central European time (Paris, Berlin, Madrid)"),
    "Europe/Athens": N_("Eastern European time (Athens, Bucharest)"),
    "UTC": N_("Coordinated Universal Time (UTC)"),
    "America/New_York": N_("US Eastern time (New York)"),
    "Asia/Dubai": N_("Gulf time (Dubai)"),
    "Asia/Kolkata": N_("India (Kolkata)"),
    "Asia/Manila": N_("Philippines (Manila)"),
    "Australia/Sydney": N_("Australian Eastern time (Sydney)"),
}
DEFAULT_DIGEST_HOUR = 8
HOURS = range(24)


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


def zone(name: str | None) -> ZoneInfo:
    """The person's zone; London for anything not on the list (a row from before a zone was removed)."""
    return ZoneInfo(name if name in TIME_ZONES else LONDON)


def _at(day: date, hour: int, tz: ZoneInfo) -> datetime:
    """`hour`:00 local time on `day`, in UTC. An hour the clocks skip (01:00 on the spring
    change in London) is read with the offset before the change, so it still happens once;
    an hour that happens twice (autumn) is its first occurrence (fold=0)."""
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def in_quiet_hours(local_hour: int, quiet_from: int | None, quiet_until: int | None) -> bool:
    """Whether an hour of the local clock is quiet: from `quiet_from` up to (not including)
    `quiet_until`, across midnight when from > until (22 to 7)."""
    if quiet_from is None or quiet_until is None or quiet_from == quiet_until:
        return False
    if quiet_from < quiet_until:
        return quiet_from <= local_hour < quiet_until
    return local_hour >= quiet_from or local_hour < quiet_until


def hold_until(now: datetime, tz_name: str | None, quiet_from: int | None, quiet_until: int | None) -> datetime | None:
    """When mail "at once" may be sent, if `now` is in the person's quiet hours; None if it is not.

    The moment is the next `quiet_until`:00 on the person's clock, so it moves with the
    clocks in spring and autumn.
    """
    tz = zone(tz_name)
    local = now.astimezone(tz)
    if not in_quiet_hours(local.hour, quiet_from, quiet_until):
        return None
    day = local.date()
    for _ in range(3):
        end = _at(day, quiet_until, tz)
        if end > now:
            return end
        day += timedelta(days=1)
    raise AssertionError("quiet hours end within two days")  # pragma: no cover


def latest_digest_moment(now: datetime, tz_name: str | None, hour: int) -> datetime:
    """The most recent moment at or before `now` when the person's digest falls due: their
    digest hour on their clock, today or yesterday (in UTC)."""
    tz = zone(tz_name)
    day = now.astimezone(tz).date()
    for _ in range(3):
        moment = _at(day, hour, tz)
        if moment <= now:
            return moment
        day -= timedelta(days=1)
    raise AssertionError("a digest hour falls within two days")  # pragma: no cover


def next_digest_moment(now: datetime, tz_name: str | None, hour: int) -> datetime:
    """The next moment after `now` when the digest falls due (what the preferences page says)."""
    tz = zone(tz_name)
    day = now.astimezone(tz).date()
    for _ in range(3):
        moment = _at(day, hour, tz)
        if moment > now:
            return moment
        day += timedelta(days=1)
    raise AssertionError("a digest hour falls within two days")  # pragma: no cover


def kinds_for(is_staff: bool) -> tuple[EmailKind, ...]:
    return tuple(k for k in EMAIL_KINDS if is_staff or not k.staff_only)
