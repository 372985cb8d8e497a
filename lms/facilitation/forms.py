"""The note a facilitator sends a learner who has gone quiet."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField


class NoteForm(FlaskForm):
    subject = StringField(_l("Subject"))
    body = TextAreaField(
        _l("Your message"),
        description=_l(
            "Change it as you like: it goes to the learner by email, from the course, "
            "and their reply comes to your own email address."
        ),
    )
