from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class JoinCodeForm(FlaskForm):
    code = StringField(
        _l("Join code"),
        validators=[DataRequired(_l("Enter your join code")), Length(max=20)],
        description=_l("Your facilitator gives you this code, for example ABCD-2345."),
    )
