from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from lms.accounts.passwords import MAX_LENGTH, MIN_LENGTH

EMAIL = [
    DataRequired("Enter your email address"),
    Email("Enter an email address in the correct format, like name@example.com", check_deliverability=False),
    Length(max=254, message="Email address must be 254 characters or fewer"),
]
NEW_PASSWORD_HINT = f"At least {MIN_LENGTH} characters. A few unrelated words make a strong password."


def _new_password(label: str):
    return PasswordField(
        label,
        validators=[
            DataRequired("Enter a password"),
            Length(min=MIN_LENGTH, message=f"Password must be at least {MIN_LENGTH} characters"),
            Length(max=MAX_LENGTH, message=f"Password must be {MAX_LENGTH} characters or fewer"),
        ],
        description=NEW_PASSWORD_HINT,
    )


class RegisterForm(FlaskForm):
    display_name = StringField(
        "Your name",
        validators=[DataRequired("Enter your name"), Length(max=80, message="Name must be 80 characters or fewer")],
        description="Shown beside your comments. You can change it later.",
    )
    email = EmailField("Email address", validators=EMAIL)
    password = _new_password("Create a password")


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=EMAIL)
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])
    remember = BooleanField("Keep me signed in on this device")  # the view adds for how long


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "Email address", validators=EMAIL, description="The address you use to sign in. We will email you a link."
    )


class ResetPasswordForm(FlaskForm):
    password = _new_password("New password")


class NameForm(FlaskForm):
    display_name = StringField(
        "Your name",
        validators=[DataRequired("Enter your name"), Length(max=80, message="Name must be 80 characters or fewer")],
    )


class BioForm(FlaskForm):
    bio = TextAreaField(
        "A short bio (optional)",
        validators=[Length(max=500, message="Your bio must be 500 characters or fewer")],
        description="Shown on your profile to other learners: your role, where you work, what you hope to learn. "
        "Up to 500 characters.",
    )


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password")])
    new_password = _new_password("New password")


class EmailForm(FlaskForm):
    email = EmailField("New email address", validators=EMAIL)
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password")])


class SharingForm(FlaskForm):
    shares_scores = BooleanField("Send my self-assessment scores to my organisation's learning records")
