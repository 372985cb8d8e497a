"""Comment forms. They carry the text and the CSRF token; the rules (length, reasons) are the
services', so a refusal reads the same whichever page the form was on."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice

from lms.comments.rules import REASONS
from lms.responses import one_time_key
from lms.unsent import Box


class CommentForm(FlaskForm):
    body = TextAreaField("Your comment")
    submission = HiddenField(default=one_time_key)  # new on every page: sending the form twice posts once
    next = HiddenField()


# The reasons as radio choices: the report form and moderation's hide form offer the same.
REASON_CHOICES = [Choice(value, label) for value, label in REASONS.items()]


class ReportForm(FlaskForm):
    reason = RadioField("Why are you reporting this comment?", validate_choice=False, choices=REASON_CHOICES)
    details = TextAreaField(
        "Tell the facilitators more (optional)",
        description="Only facilitators see your report. The author is not told who reported it.",
    )
    next = HiddenField()


# Sent after the sign-in ended: kept, and back in the box after signing in (on the page the
# form was sent to, which shows the same box on GET). A new submission key comes with it.
_TEXT = (("body", "Your comment"), ("next", ""))
COMMENT_BOX = Box("comment", noun="comment", verb="post", done="posted", fields=_TEXT)
REPLY_BOX = Box("reply", noun="reply", verb="post", done="posted", fields=(("body", "Your reply"), ("next", "")))
EDIT_BOX = Box("comment-edit", noun="change to your comment", verb="save", done="saved", fields=_TEXT)
