"""What the comment pages share (and the pages above that show comments): the gate that keeps a learner's text, finding a comment's step,
and the way back to where the learner was on the page."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for

from lms.comments import service
from lms.comments.models import Comment
from lms.content.outline import StepSummary
from lms.errors import NotFound
from lms.learning.access import check_open, enrolled_only
from lms.security import safe_next


def not_sent(reason: str, status: int):
    """The page that gives back a comment that could not be posted, with what to do next."""
    return render_template(
        "comments/not_sent.html",
        reason=reason,
        text=request.form.get("body", ""),
        action=request.path,
        submission=request.form.get("submission", ""),
        next_url=request.form.get("next", ""),
        language_code=request.form.get("language", ""),
    ), status


def members_only(view):
    """Signed in and joined, as `enrolled_only`. A comment sent after the sign-in ended is kept
    and put back in its box after signing in (the views declare their box, lms.unsent)."""
    return enrolled_only(view)


def step_of(step_id: int) -> StepSummary:
    """The step, if the viewer can see it (it is in `g.outline`, and its week has opened for
    them); NotFound or lms.learning.access.NotYetOpen otherwise."""
    step = next((s for s in g.outline.steps if s.id == step_id), None)
    if step is None:
        raise NotFound("No such step")
    return check_open(step)


def read_only() -> bool:
    """The viewer's cohort has ended: they may read discussions, not add to them."""
    return g.schedule.discussions_ended_on is not None


def visible_comment(comment_id: int) -> Comment:
    """The comment, if it is on a step the viewer can see; NotFound otherwise."""
    comment = service.get_comment(comment_id)
    step_of(comment.step_id)
    return comment


def step_url(step: StepSummary, **args) -> str:
    return url_for("steps.step", module_slug=step.module_slug, step_slug=step.slug, **args)


def back_to(comment_id: int | None, default: str, anchor: str | None = None):
    """Redirect to the page the form came from (its `next`), at the comment's anchor."""
    target = safe_next(request.form.get("next") or request.args.get("next"), default).split("#")[0]
    anchor = anchor or (f"comment-{comment_id}" if comment_id else None)
    return redirect(f"{target}#{anchor}" if anchor else target)
