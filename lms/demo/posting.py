"""Post the demo's conversations through the comments service, then like, follow, bookmark,
highlight and report as the people in them would, noting when each thing happened."""

from __future__ import annotations

from datetime import datetime, timedelta

from lms.accounts.models import User
from lms.comments import reports
from lms.comments import service as comments
from lms.comments.models import Comment
from lms.content.outline import CourseOutline
from lms.demo.conversations import FACILITATOR, OPENING, OPENING_REPLY, Say, conversations
from lms.demo.people import COHORT_DAYS
from lms.demo.timeline import Timeline
from lms.moderation import service as moderation

FIRST_REPLY_WAIT = 5  # hours before anyone answers the opening welcome


def posters(outline: CourseOutline) -> dict[str, set[int]]:
    """Per author, the steps they will post on (their journey leaves those for the post to complete)."""
    found: dict[str, set[int]] = {}
    for thread in conversations().threads:
        index = outline.index_of(*thread.step)
        if index is not None:
            for say in thread.comments:
                found.setdefault(say.author, set()).add(outline.steps[index].id)
    return found


def post_all(outline: CourseOutline, people: dict[str, User], timeline: Timeline) -> None:
    """Every thread whose step the course has, and the welcome on its first discussion step."""
    _welcome(outline, people, timeline)
    openers: dict[tuple[tuple[str, str], str], tuple[Comment, list[datetime]]] = {}
    for thread in conversations().threads:
        index = outline.index_of(*thread.step)
        if index is None:
            continue
        first, moments = _post_thread(outline.steps[index].id, thread.comments, people, timeline)
        openers[(thread.step, thread.comments[0].author)] = (first, moments)
        if thread.highlighted:  # the facilitator picks it out after the first replies
            moderation.set_highlight(people[FACILITATOR], first, True)
            timeline.marks.append((first.id, timeline.later(moments[min(1, len(moments) - 1)], 1)))
    _complain(openers, people, timeline)
    for follower, followed in conversations().follows:
        comments.follow(people[follower], people[followed].id)
    for keeper, step, author in conversations().bookmarks:
        if (step, author) in openers:
            comments.bookmark(people[keeper], openers[(step, author)][0])


def _welcome(outline: CourseOutline, people: dict[str, User], timeline: Timeline) -> None:
    """The facilitator's welcome, posted as the cohort began, and the printed learner's reply."""
    step = next((s for s in outline.steps if s.type == "discussion"), None)
    if step is None or comments.has_posted(people[FACILITATOR].id, step.id):
        return  # an earlier version of the demo posted it already
    learner = people["sam"]
    opening = comments.post_comment(people[FACILITATOR], step.id, OPENING)
    reply = comments.post_comment(learner, step.id, OPENING_REPLY, parent=opening)
    opened = timeline.days_ago(COHORT_DAYS)
    timeline.comments[opening.id] = opened
    timeline.comments[reply.id] = timeline.visit(learner.id, step.id) or timeline.later(opened, FIRST_REPLY_WAIT)


def _post_thread(
    step_id: int, says: tuple[Say, ...], people: dict[str, User], timeline: Timeline
) -> tuple[Comment, list[datetime]]:
    """The opening comment and its replies, in order, each liked by those who liked it. A
    comment is dated when its author reached the step, and a reply no sooner than `after`
    hours past the comment before it."""
    first, ids, moments = None, [], []
    for say in says:
        author = people[say.author]
        own = timeline.visit(author.id, step_id)  # None for the facilitator
        if not moments:
            moment = own or timeline.now
        else:
            moment = max(moments[-1] + timedelta(hours=say.after), own or moments[-1])
        comment = comments.post_comment(author, step_id, say.text, parent=first)
        first = first or comment
        for liker in say.liked_by:
            comments.like(people[liker], comment)
        timeline.likes[comment.id] = [(people[liker].id, step_id) for liker in say.liked_by]
        ids.append(comment.id)
        moments.append(moment)
    moments = timeline.thread(moments)
    timeline.comments.update(zip(ids, moments))
    return first, moments


def _complain(openers: dict, people: dict[str, User], timeline: Timeline) -> None:
    """A reply someone reports, left waiting in the moderation queue."""
    complaint = conversations().complaint
    if (complaint.step, complaint.opener) not in openers:
        return
    opening, moments = openers[(complaint.step, complaint.opener)]
    reply = comments.post_comment(people[complaint.say.author], opening.step_id, complaint.say.text, parent=opening)
    said = timeline.later(moments[-1], complaint.say.after)
    timeline.comments[reply.id] = said
    reports.report(people[complaint.reporter], reply, complaint.reason, complaint.details)
    timeline.reported.append((reply.id, timeline.later(said, 10)))
