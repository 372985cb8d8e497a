"""Comment forms. They carry the text and the CSRF token; the rules (length, reasons) are the
services', so a refusal reads the same whichever page the form was on."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice

from lms.comments.rules import REPORT_REASONS
from lms.responses import one_time_key


class CommentForm(FlaskForm):
    body = TextAreaField("Your comment")
    submission = HiddenField(default=one_time_key)  # new on every page: sending the form twice posts once
    next = HiddenField()


class ReportForm(FlaskForm):
    reason = RadioField(
        "Why are you reporting this comment?",
        validate_choice=False,
        choices=[Choice(value, label) for value, label in REPORT_REASONS.items()],
    )
    details = TextAreaField(
        "Tell the facilitators more (optional)",
        description="Only facilitators see your report. The author is not told who reported it.",
    )
    next = HiddenField()
