from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password to delete your account"))]
    )
