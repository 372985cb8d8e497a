from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectField
from wtforms.validators import Length, Optional


class FilterForm(FlaskForm):
    """The audit log's filters: a GET form that changes nothing."""

    class Meta:
        csrf = False

    actor = SearchField("Done by (name contains)", validators=[Optional(), Length(max=100)])
    action = SelectField("Action", choices=[], validate_choice=False, validators=[Optional()])
    since = DateField("From", validators=[Optional()], description="For example, 2026-12-01")
    until = DateField("To", validators=[Optional()], description="For example, 2026-12-31")
