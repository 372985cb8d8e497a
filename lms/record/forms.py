from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired("Enter your password to delete your account")])
