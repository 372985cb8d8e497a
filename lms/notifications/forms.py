"""The email preferences form: how each kind of news arrives, the digest's hour, quiet hours
and the time zone they are in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice as Choice

from lms.notifications import preferences as rules

NO_QUIET_HOURS = ""


def _hours(none_label=None) -> list[Choice]:
    first = [Choice(NO_QUIET_HOURS, none_label)] if none_label else []
    return first + [Choice(str(h), rules.hour_label(h)) for h in rules.HOURS]


def _kind_field(kind: rules.EmailKind) -> RadioField:
    return RadioField(
        _l(kind.label),
        description=_l(kind.hint),
        validate_choice=False,  # the service says what is allowed, beside the field
        choices=[Choice(value, _l(rules.CHOICES[value])) for value in kind.choices],
    )


class EmailPreferencesForm(FlaskForm):
    """Every kind's field; the view removes the staff-only ones for learners."""

    replies = _kind_field(rules.BY_KEY["replies"])
    likes = _kind_field(rules.BY_KEY["likes"])
    followed = _kind_field(rules.BY_KEY["followed"])
    moderation = _kind_field(rules.BY_KEY["moderation"])
    reports = _kind_field(rules.BY_KEY["reports"])
    unanswered = _kind_field(rules.BY_KEY["unanswered"])
    digest_hour = SelectField(
        _l("Send my daily digest at"),
        description=_l("One email a day listing what happened, and none on days when nothing did."),
        validate_choice=False,
        choices=_hours(),
    )
    quiet_from = SelectField(
        _l("Quiet hours start at"),
        description=_l(
            "Emails that would come at once are kept until your quiet hours end: "
            "for example from 08:00 to 18:00 if you sleep by day after night shifts."
        ),
        validate_choice=False,
        choices=_hours(_l("No quiet hours")),
    )
    quiet_until = SelectField(_l("Quiet hours end at"), validate_choice=False, choices=_hours(_l("No quiet hours")))
    time_zone = SelectField(
        _l("Time zone"),
        description=_l("The hours above are on this clock. Most people keep UK time."),
        validate_choice=False,
        choices=[Choice(value, _l(label)) for value, label in rules.TIME_ZONES.items()],
    )


def hour_or_none(value: str | None) -> int | None:
    """A posted hour as a number; None for "no quiet hours" or anything that is not an hour."""
    try:
        hour = int(value) if value not in (None, NO_QUIET_HOURS) else None
    except ValueError:
        return -1  # the service refuses it, beside the field
    return hour
