from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectField
from wtforms.validators import Length, Optional


class FilterForm(FlaskForm):
    """The audit log's filters: a GET form that changes nothing."""

    class Meta:
        csrf = False

    actor = SearchField(_l("Done by (name contains)"), validators=[Optional(), Length(max=100)])
    action = SelectField(_l("Action"), choices=[], validate_choice=False, validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()], description=_l("For example, 2026-12-01"))
    until = DateField(_l("To"), validators=[Optional()], description=_l("For example, 2026-12-31"))
