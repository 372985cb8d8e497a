from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import DataRequired, Email, Length

from lms.accounts.passwords import MAX_LENGTH, MIN_LENGTH

EMAIL = [
    DataRequired(_l("Enter your email address")),
    Email(_l("Enter an email address in the correct format, like name@example.com"), check_deliverability=False),
    Length(max=254, message=_l("Email address must be 254 characters or fewer")),
]
NEW_PASSWORD_HINT = _l("At least %(least)s characters. A few unrelated words make a strong password.", least=MIN_LENGTH)


def _new_password(label: str):
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Enter a password")),
            Length(min=MIN_LENGTH, message=_l("Password must be at least %(least)s characters", least=MIN_LENGTH)),
            Length(max=MAX_LENGTH, message=_l("Password must be %(most)s characters or fewer", most=MAX_LENGTH)),
        ],
        description=NEW_PASSWORD_HINT,
    )


class RegisterForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(_l("Enter your name")),
            Length(max=80, message=_l("Name must be %(most)s characters or fewer", most=80)),
        ],
        description=_l("Shown beside your comments. You can change it later."),
    )
    email = EmailField(_l("Email address"), validators=EMAIL)
    password = _new_password(_l("Create a password"))


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=EMAIL)
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password"))])
    remember = BooleanField(_l("Keep me signed in on this device"))  # the view adds for how long


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=EMAIL,
        description=_l("The address you use to sign in. We will email you a link."),
    )


class ResetPasswordForm(FlaskForm):
    password = _new_password(_l("New password"))


class NameForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(_l("Enter your name")),
            Length(max=80, message=_l("Name must be %(most)s characters or fewer", most=80)),
        ],
    )


class BioForm(FlaskForm):
    bio = TextAreaField(
        _l("A short bio (optional)"),
        validators=[Length(max=500, message=_l("Your bio must be %(most)s characters or fewer", most=500))],
        description=_l(
            "Shown on your profile to other learners: your role, where you work, what you hope to learn. "
            "Up to 500 characters."
        ),
    )


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password"))]
    )
    new_password = _new_password(_l("New password"))


class EmailForm(FlaskForm):
    email = EmailField(_l("New email address"), validators=EMAIL)
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password"))]
    )


class SharingForm(FlaskForm):
    shares_scores = BooleanField(_l("Send my self-assessment scores to my organisation's learning records"))


class LanguageForm(FlaskForm):
    language = RadioField(
        _l("Choose your language"),
        description=_l("The language of the pages, and of the emails we send you."),
        validate_choice=False,  # the service says what is allowed, beside the field
        choices=[  # each named in its own language, and marked as such
            Choice("en", Markup('<span lang="en-GB">English</span>')),
            Choice("cy", Markup('<span lang="cy">Cymraeg</span>')),
        ],
    )
