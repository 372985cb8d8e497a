"""A facilitator's note by email to a learner of their cohort who has gone quiet: the draft
they start from, and sending it (at most one a day to any one learner, from all their
facilitators, each recorded in the audit log)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_decimal
from flask_babel import gettext as _

from lms.accounts import service as accounts
from lms.accounts.models import User
from lms.audit import service as audit
from lms.cohorts import service as cohorts
from lms.cohorts.models import Cohort
from lms.db import utcnow
from lms.errors import InvalidInput, NotAllowed, NotFound
from lms.extensions import db
from lms.mail import service as mail
from lms.mail.message import one_line

NOTE_ACTION = "learner.message"
SUBJECT_MAX = 120
NOTE_MAX = 2000
NOTE_GAP = timedelta(hours=20)  # one note a day to any one learner, from all their facilitators


@dataclass(frozen=True)
class NoteDraft:
    learner: User
    subject: str
    body: str
    last_sent: datetime | None  # when someone last sent this learner a note


def _learner_in(cohort: Cohort, user_id: int) -> User:
    if not cohorts.is_learner_in(cohort.id, user_id):
        raise NotFound("That person is not a learner in this cohort")
    return accounts.get_user(user_id)


def note_draft(staff: User, cohort: Cohort, user_id: int) -> NoteDraft:
    """The message a facilitator starts from: short, warm, and easy to answer by email."""
    learner = _learner_in(cohort, user_id)
    first_name = learner.display_name.split()[0] if learner.display_name.split() else learner.display_name
    # In the facilitator's language: they write the note, and may change every word of it.
    body = _(
        "Hello %(first_name)s,\n\n"
        "I noticed you have not been on the course for a little while, and wanted to ask how you are.\n\n"
        "If something is getting in the way, such as time, shifts or something about the course, "
        "reply to this email and let me know. I am happy to help you find a way back in, at your own pace.\n\n"
        "Best wishes,\n%(staff)s",
        first_name=first_name,
        staff=staff.display_name,
    )
    return NoteDraft(
        learner,
        _("How are you getting on with the course?"),
        body,
        audit.last_recorded(NOTE_ACTION, "users", learner.id),
    )


def send_note(staff: User, cohort: Cohort, user_id: int, subject: str, body: str, now: datetime | None = None) -> User:
    """Email a learner of the cohort a note from a facilitator, replies going to the
    facilitator's own address; recorded in the audit log. Commits."""
    if not cohorts.can_facilitate(staff, cohort.id):
        raise NotAllowed("You do not facilitate this cohort")
    learner = _learner_in(cohort, user_id)
    if not learner.active:
        raise InvalidInput(_("This person's account is closed, so they cannot be sent a message"), field="body")
    subject = one_line(subject or "", SUBJECT_MAX + 1)
    body = (body or "").replace("\r\n", "\n").strip()
    if not subject:
        raise InvalidInput(_("Enter a subject"), field="subject")
    if len(subject) > SUBJECT_MAX:
        raise InvalidInput(_("The subject must be %(most)s characters or fewer", most=SUBJECT_MAX), field="subject")
    if not body:
        raise InvalidInput(_("Enter your message"), field="body")
    if len(body) > NOTE_MAX:
        raise InvalidInput(
            _("Your message must be %(most)s characters or fewer", most=format_decimal(NOTE_MAX)), field="body"
        )
    now = now or utcnow()
    last = audit.last_recorded(NOTE_ACTION, "users", learner.id)
    if last is not None and now - last < NOTE_GAP:
        raise InvalidInput(
            _(
                "%(name)s was sent a message less than a day ago. Give them time to answer before writing again.",
                name=learner.display_name,
            ),
            field="body",
        )
    mail.queue(
        to=learner.email,
        name=learner.display_name,
        template="learner_note",
        subject=subject,
        user_id=learner.id,
        reply_to=(staff.email, staff.display_name),
        body=body,
        sender=staff.display_name,
        cohort=cohort.name,
    )
    audit.record(staff, NOTE_ACTION, learner, details={"cohort_id": cohort.id, "subject": subject})
    db.session.commit()
    return learner
