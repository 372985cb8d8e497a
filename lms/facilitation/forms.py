"""The note a facilitator sends a learner who has gone quiet."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField


class NoteForm(FlaskForm):
    subject = StringField("Subject")
    body = TextAreaField(
        "Your message",
        description="Change it as you like: it goes to the learner by email, from the course, "
        "and their reply comes to your own email address.",
    )
