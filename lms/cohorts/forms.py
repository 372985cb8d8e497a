from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class JoinCodeForm(FlaskForm):
    code = StringField(
        "Join code",
        validators=[DataRequired("Enter your join code"), Length(max=20)],
        description="Your facilitator gives you this code, for example ABCD-2345.",
    )
