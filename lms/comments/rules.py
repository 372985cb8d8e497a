"""Who may do what with a comment, and what a comment may say. No request, no database.

Functions take the viewer (anything with `id`, `is_authenticated` and `is_staff`) and a
comment (anything with the Comment model's fields), so pages and services ask the same
questions and the unit tests can ask them of plain objects.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.comments.markdown import MAX_LENGTH, normalise
from lms.errors import InvalidInput
from lms.i18n import LANGUAGES

REVEAL_AFTER_POSTING = "after-posting"

# Why a comment is reported, and why a facilitator hides it: one list, in one order and the
# same words on both forms, so the reason a learner gave is the one a facilitator finds. The
# author of a hidden comment reads it too ("Reason: ..."). Stored as the codes; the words are
# lazy, in the language of the page that shows them.
REASONS = {
    "unkind": _l("Unkind, disrespectful or bullying"),
    "confidential": _l("Shares confidential or identifiable information (for example about a patient)"),
    "spam": _l("Advertising or spam"),
    "other": _l("Something else"),
}


def comment_text(raw: str | None) -> str:
    """The text to store, or InvalidInput saying why it cannot be posted."""
    text = normalise(raw or "")
    if not text:
        raise InvalidInput(_("Enter your comment"), field="body")
    if len(text) > MAX_LENGTH:
        most, has = format(MAX_LENGTH, ","), format(len(text), ",")
        raise InvalidInput(
            _("Your comment must be %(most)s characters or fewer: it has %(has)s", most=most, has=has), field="body"
        )
    return text


def comment_language(code: str | None) -> str:
    """The language a comment is written in ('en' or 'cy'), or InvalidInput: its author chooses."""
    if code not in LANGUAGES:
        raise InvalidInput(_("Choose the language your comment is written in: English or Cymraeg"), field="language")
    return code


def is_staff(viewer) -> bool:
    return bool(viewer.is_authenticated and viewer.is_staff)


def is_author(viewer, comment) -> bool:
    return bool(viewer.is_authenticated and comment.author_id == viewer.id)


def is_hidden(comment) -> bool:
    return comment.hidden_at is not None


def is_deleted(comment) -> bool:
    return comment.deleted_at is not None


def is_open(comment) -> bool:
    """Neither deleted nor hidden: shown to everyone, counted, open to likes and replies."""
    return not (is_deleted(comment) or is_hidden(comment))


def can_read(viewer, comment) -> bool:
    """Hidden text is for its author and the facilitators; deleted text is for no one."""
    if is_deleted(comment):
        return False
    return not is_hidden(comment) or is_author(viewer, comment) or is_staff(viewer)


def can_edit(viewer, comment) -> bool:
    return is_author(viewer, comment) and not is_deleted(comment)


can_delete = can_edit


def can_like(viewer, comment) -> bool:
    return viewer.is_authenticated and not is_author(viewer, comment) and is_open(comment)


def can_bookmark(viewer, comment) -> bool:
    return viewer.is_authenticated and is_open(comment)


def can_report(viewer, comment) -> bool:
    return viewer.is_authenticated and not is_author(viewer, comment) and is_open(comment)


def can_reply(viewer, comment, locked: bool) -> bool:
    """One level of replies, as FutureLearn: only top-level, open comments, in open threads."""
    return viewer.is_authenticated and not locked and comment.parent_id is None and is_open(comment)


def can_request_review(viewer, comment) -> bool:
    return (
        is_author(viewer, comment)
        and is_hidden(comment)
        and not is_deleted(comment)
        and comment.review_requested_at is None
    )


def can_moderate(viewer) -> bool:
    return is_staff(viewer)


def must_post_first(viewer, reveal: str | None, has_posted: bool) -> bool:
    """`reveal: after-posting` keeps others' comments from a learner until they post their own.

    Facilitators and admins always see the thread: they moderate it.
    """
    return reveal == REVEAL_AFTER_POSTING and not is_staff(viewer) and not has_posted
