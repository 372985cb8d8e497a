"""The facilitator's form for hiding a comment; the reasons are comments' rules, shown to the author."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice

from lms.comments.rules import HIDE_REASONS


class HideForm(FlaskForm):
    reason = RadioField(
        "Why are you hiding this comment?",
        validate_choice=False,
        choices=[Choice(value, label) for value, label in HIDE_REASONS.items()],
    )
    note = TextAreaField(
        "A note to the author",
        description="The author sees the reason and this note, so they can learn from it and edit their comment.",
    )
    next = HiddenField()
