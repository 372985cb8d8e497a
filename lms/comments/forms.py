"""Comment forms. They carry the text and the CSRF token; the rules (length, reasons) are the
services', so a refusal reads the same whichever page the form was on."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice

from lms.comments.rules import REASONS
from lms.i18n import LANGUAGES, language
from lms.responses import one_time_key
from lms.unsent import Box


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"))
    # The language the comment is written in: the page's unless its author says otherwise.
    # Each language is named in itself; the service refuses anything else, keeping the text.
    language = SelectField(
        _l("Language of your comment"),
        choices=[Choice(code, words) for code, words in LANGUAGES.items()],
        default=language,
        validate_choice=False,
    )
    submission = HiddenField(default=one_time_key)  # new on every page: sending the form twice posts once
    next = HiddenField()


# The reasons as radio choices: the report form and moderation's hide form offer the same.
REASON_CHOICES = [Choice(value, label) for value, label in REASONS.items()]


class ReportForm(FlaskForm):
    reason = RadioField(_l("Why are you reporting this comment?"), validate_choice=False, choices=REASON_CHOICES)
    details = TextAreaField(
        _l("Tell the facilitators more (optional)"),
        description=_l("Only facilitators see your report. The author is not told who reported it."),
    )
    next = HiddenField()


# Sent after the sign-in ended: kept, and back in the box after signing in (on the page the
# form was sent to, which shows the same box on GET). A new submission key comes with it.
_TEXT = (("body", _l("Your comment")), ("next", ""))
COMMENT_BOX = Box("comment", noun="comment", verb="post", done="posted", fields=_TEXT)
REPLY_BOX = Box("reply", noun="reply", verb="post", done="posted", fields=(("body", _l("Your reply")), ("next", "")))
EDIT_BOX = Box("comment-edit", noun="change to your comment", verb="save", done="saved", fields=_TEXT)
