"""The facilitator's form for hiding a comment: the reasons are those a learner reports with
(lms.comments.rules.REASONS), in the same order and words, and the author is shown the one chosen."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField

from lms.comments.forms import REASON_CHOICES


class HideForm(FlaskForm):
    reason = RadioField(_l("Why are you hiding this comment?"), validate_choice=False, choices=REASON_CHOICES)
    note = TextAreaField(
        _l("A note to the author"),
        description=_l("The author sees the reason and this note, so they can learn from it and edit their comment."),
    )
    next = HiddenField()
