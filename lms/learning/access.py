"""The gate to course pages: signed in, and joined to the course; and, for a learner in a
weekly cohort, the gate to each step: open once its week has begun (lms.learning.pacing)."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.access import can_see_drafts
from lms.content import service as content
from lms.content.outline import StepSummary
from lms.errors import NotAllowed, NotFound
from lms.i18n import language
from lms.learning import service
from lms.learning.pacing import long_date


def enrolled_only(view):
    """Signed in and joined: otherwise to login, or to the course page to join.

    Puts the course outline, as this user may see it, on `g.outline`, and what they may
    open today on `g.schedule` (read with the sign-in: no query of its own).
    """

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        # The outline's version check and the enrolment check: read with the sign-in, or in
        # one query for a person signed in by this request.
        read = current_user.read_with
        g.outline, enrolled = content.get_outline_and(
            service.enrolled_in_course(),
            include_drafts=can_see_drafts(current_user),
            params={"enrolled_user": current_user.id},
            read=(*(read[name] for name in content.VERSION_WITH_USER), read["enrolled"])
            if "enrolled" in read
            else None,
        )
        if g.outline is None:
            abort(404)
        if not enrolled:
            flash(_("Join the course to start learning."), "info")
            return redirect(url_for("learning.course"))
        g.schedule = service.schedule_for(current_user)
        return view(*args, **kwargs)

    return wrapped


def long_date_here(day) -> str:
    """The long date (lms.learning.pacing.long_date) in this page's language: 'Monday 9 March
    2027', 'ddydd Llun 9 Mawrth 2027'. Templates have it as the `long_date` filter."""
    return long_date(day, language())


class NotYetOpen(NotAllowed):
    """A step of a week the learner's cohort has not reached: refused, saying when it opens."""

    def __init__(self, step: StepSummary, opens_on):
        super().__init__(
            _(
                "Step %(number)s opens on %(date)s, with the rest of its week.",
                number=step.number,
                date=long_date_here(opens_on),
            )
        )
        self.step = step
        self.opens_on = opens_on


class DiscussionEnded(NotAllowed):
    """The learner's cohort has ended: its discussions are read-only for them."""

    field = "body"

    def __init__(self, ended_on):
        super().__init__(
            _(
                "Your cohort ended on %(date)s, so discussions are now read-only for you: "
                "you can read the comments, but not add to them. Your progress and certificate are kept.",
                date=long_date_here(ended_on),
            )
        )
        self.ended_on = ended_on


def opens_on(step: StepSummary):
    """The day the step's module opens for this learner, if it is not open yet; else None."""
    module = g.outline.module(step.module_slug)
    return g.schedule.not_open_until(module.number) if module else None


def open_steps() -> tuple[StepSummary, ...]:
    """The steps of the viewer's outline whose weeks have opened for them (all, for most)."""
    if not g.schedule.paced:
        return g.outline.steps
    return tuple(s for m in g.outline.modules if g.schedule.is_open(m.number) for s in m.steps)


def check_open(step: StepSummary) -> StepSummary:
    """The step, if its week has opened for this learner; NotYetOpen otherwise."""
    closed_until = opens_on(step)
    if closed_until is not None:
        raise NotYetOpen(step, closed_until)
    return step


def step_at(module_slug: str, step_slug: str) -> StepSummary:
    """The step at these slugs, as this viewer may see it: NotFound if it is not in their
    outline, NotYetOpen if its week has not opened. Every POST about a step asks here."""
    index = g.outline.index_of(module_slug, step_slug)
    if index is None:
        raise NotFound("No such step")
    return check_open(g.outline.steps[index])


def check_may_post() -> None:
    """DiscussionEnded once the learner's cohort has ended (staff are never stopped)."""
    ended = g.schedule.discussions_ended_on
    if ended is not None:
        raise DiscussionEnded(ended)
