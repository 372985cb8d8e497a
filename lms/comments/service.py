"""Learners' writes: post, reply, edit and delete comments; like, bookmark and follow.

Each public function is one unit of work and commits once. Permission is checked here
(through `rules`), whatever the page offered, so a crafted request gets NotAllowed. The
step's comment count lives in content and is changed through its service. Posting and
liking send `signals`, whose receivers (notifications) write in the same transaction.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.comments import rules, signals
from lms.comments.markdown import render_comment
from lms.comments.models import Bookmark, Comment, CommentLike, Follow, Report, ThreadLock
from lms.content import service as content
from lms.content.models import Step
from lms.db import insert_once, submission_of, utcnow
from lms.errors import InvalidInput, NotAllowed, NotFound
from lms.extensions import db
from lms.learning import completion

log = logging.getLogger(__name__)


class ThreadLocked(InvalidInput):
    """The thread takes no new comments; the message says so beside the box."""


def get_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound("No such comment")
    return comment


def is_locked(step_id: int) -> bool:
    return db.session.get(ThreadLock, step_id) is not None


def has_posted(user_id: int, step_id: int) -> bool:
    """Whether the learner has ever commented on the step (what `reveal: after-posting` waits for)."""
    return bool(
        db.session.scalar(sa.select(sa.exists().where(Comment.step_id == step_id, Comment.author_id == user_id)))
    )


def _existing_submission(author_id: int, key: str | None) -> Comment | None:
    if not key:
        return None
    return db.session.scalar(sa.select(Comment).where(Comment.author_id == author_id, Comment.submission_key == key))


def post_comment(
    author: User,
    step_id: int,
    text: str,
    *,
    submission_key: str | None = None,
    parent: Comment | None = None,
    language: str = "en",
) -> Comment:
    """Post a comment, or a reply to parent; a form sent twice posts once and returns the first.
    `language`: what the author says it is written in ('en' or 'cy')."""
    body = rules.comment_text(text)
    language = rules.comment_language(language)
    if parent is not None:
        parent = _reply_target(author, parent)
        step_id = parent.step_id
    key = submission_of(submission_key, body)
    # One statement: no lock on the thread, no comment from this form yet, then insert.
    comment = insert_once(
        db.session,
        Comment,
        dict(
            step_id=step_id,
            author_id=author.id,
            educator=bool(author.is_staff),
            parent_id=parent.id if parent else None,
            submission_key=key,
            body_md=body,
            body_html=render_comment(body),
            language=language,
            created_at=utcnow(),
        ),
        unless=sa.exists().where(ThreadLock.step_id == step_id),
    )
    if comment is None:
        if is_locked(step_id):
            raise ThreadLocked(
                _("This discussion is closed: new comments and replies are not being taken"), field="body"
            )
        return _existing_submission(author.id, key)  # the same form again: the first one stands
    content.adjust_comment_count(step_id, 1)
    if parent is not None:
        _add_reply_count(parent.id, 1)
    # Posting to a discussion step completes it (learning's rule), in this same commit.
    completion.complete_step_of_type(author.id, step_id, completion.COMPLETED_BY_POSTING)
    signals.comment_posted.send(comment, parent=parent)
    db.session.commit()
    log.info("user %s posted comment %s on step %s", author.id, comment.id, step_id)
    return comment


def reveal_of(step_id: int) -> str | None:
    """The step's `reveal` setting (read from content's table: one column, no call for it)."""
    settings = db.session.scalar(sa.select(Step.settings).where(Step.id == step_id))
    return (settings or {}).get("reveal")


def _reply_target(author: User, parent: Comment) -> Comment:
    """The comment a reply goes under: replies stay one level deep, under a top-level comment."""
    if parent.parent_id is not None:
        parent = get_comment(parent.parent_id)
    if rules.must_post_first(author, reveal_of(parent.step_id), has_posted(author.id, parent.step_id)):
        raise NotAllowed(_("Post your own comment before replying"))
    if not rules.can_reply(author, parent, locked=False):
        raise InvalidInput(_why_no_reply(parent), field="body")
    return parent


def _why_no_reply(parent: Comment) -> str:
    """A reply sent after its comment went (deleted or hidden meanwhile): say so; the text stays in the box."""
    if rules.is_deleted(parent):
        return _(
            "The comment you are replying to has been deleted, so your reply was not posted. Your text is still below"
        )
    if rules.is_hidden(parent):
        return _(
            "The comment you are replying to has been hidden by a facilitator, so your reply was not posted. "
            "Your text is still below"
        )
    return _("This comment can no longer be replied to")


def _add_reply_count(comment_id: int, change: int) -> None:
    db.session.execute(
        sa.update(Comment).where(Comment.id == comment_id).values(reply_count=Comment.reply_count + change)
    )


def edit_comment(user: User, comment: Comment, text: str, language: str | None = None) -> Comment:
    """Change the author's own comment; it shows as edited. A hidden one stays hidden.
    `language`: what it is written in, if the author says (a new language alone is no edit)."""
    if not rules.can_edit(user, comment):
        raise NotAllowed(_("You can only edit your own comments"))
    body = rules.comment_text(text)
    language = comment.language if language is None else rules.comment_language(language)
    changed = False
    if body != comment.body_md:
        comment.body_md, comment.body_html, comment.edited_at = body, render_comment(body), utcnow()
        changed = True
    if language != comment.language:
        comment.language, changed = language, True
    if changed:
        db.session.commit()
    return comment


def delete_comment(user: User, comment: Comment) -> None:
    """Delete the author's own comment: its text goes; replies keep a "comment deleted" in place."""
    if not rules.can_delete(user, comment):
        raise NotAllowed(_("You can only delete your own comments"))
    if comment.is_counted:
        content.adjust_comment_count(comment.step_id, -1)
    if comment.parent_id is not None:
        _add_reply_count(comment.parent_id, -1)
    comment.deleted_at = utcnow()
    comment.body_md = comment.body_html = ""
    comment.flagged_at = comment.review_requested_at = comment.highlighted_at = None
    db.session.execute(
        sa.update(Report)
        .where(Report.comment_id == comment.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow(), outcome="deleted")
    )
    db.session.commit()
    log.info("user %s deleted comment %s", user.id, comment.id)


def like(user: User, comment: Comment) -> None:
    """Like someone else's comment (liking twice counts once); its author hears of it once."""
    if not rules.can_like(user, comment):
        raise NotAllowed(_("You cannot like this comment"))
    if insert_once(db.session, CommentLike, dict(comment_id=comment.id, user_id=user.id)) is None:
        return  # already liked: a second click changes nothing
    comment.like_count = Comment.like_count + 1
    signals.comment_liked.send(comment, by=user)
    db.session.commit()


def unlike(user: User, comment: Comment) -> None:
    removed = db.session.execute(
        sa.delete(CommentLike).where(CommentLike.comment_id == comment.id, CommentLike.user_id == user.id)
    ).rowcount
    if removed:
        comment.like_count = Comment.like_count - removed
    db.session.commit()


def forget_likes_by(user_id: int) -> None:
    """Take back every like the person gave, and the counts with them (for deleting an account).
    Flushes, does not commit: it is part of the caller's unit of work."""
    theirs = sa.select(CommentLike.comment_id).where(CommentLike.user_id == user_id)
    db.session.execute(
        sa.update(Comment)
        .where(Comment.id.in_(theirs))
        .values(like_count=Comment.like_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(sa.delete(CommentLike).where(CommentLike.user_id == user_id))
    db.session.flush()


def bookmark(user: User, comment: Comment) -> None:
    if not rules.can_bookmark(user, comment):
        raise NotAllowed(_("You cannot bookmark this comment"))
    insert_once(db.session, Bookmark, dict(comment_id=comment.id, user_id=user.id))  # twice is once
    db.session.commit()


def remove_bookmark(user: User, comment: Comment) -> None:
    db.session.execute(sa.delete(Bookmark).where(Bookmark.comment_id == comment.id, Bookmark.user_id == user.id))
    db.session.commit()


def follow(user: User, followed_id: int) -> None:
    """Follow another learner: their new comments appear in the Following filter and notifications."""
    if followed_id == user.id:
        raise InvalidInput(_("You cannot follow yourself"))
    if db.session.get(User, followed_id) is None:
        raise NotFound(_("No such person"))
    insert_once(db.session, Follow, dict(follower_id=user.id, followed_id=followed_id))  # twice is once
    db.session.commit()


def unfollow(user: User, followed_id: int) -> None:
    db.session.execute(sa.delete(Follow).where(Follow.follower_id == user.id, Follow.followed_id == followed_id))
    db.session.commit()
