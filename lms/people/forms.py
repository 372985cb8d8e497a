from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import DataRequired, Email, Length, Optional

from lms.accounts.models import Role
from lms.cohorts.addresses import LONGEST, MOST_LINES
from lms.cohorts.models import CohortRole, Pace
from lms.forms import DateInput

ROLE_CHOICES = [
    Choice(Role.LEARNER.value, "Learner"),
    Choice(Role.FACILITATOR.value, "Facilitator"),
    Choice(Role.ADMIN.value, "Admin"),
]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Search by name or email", validators=[Optional(), Length(max=100)])
    role = SelectField("Role", choices=[Choice("", "Any role"), *ROLE_CHOICES], validators=[Optional()])


class RoleForm(FlaskForm):
    role = RadioField("Role", choices=ROLE_CHOICES, validators=[DataRequired("Choose a role")])


class CohortForm(FlaskForm):
    name = StringField(
        "Cohort name",
        validators=[DataRequired("Enter a name for the cohort"), Length(max=120)],
        description="For example, Ward leaders, spring 2027",
    )
    starts_on = DateInput(
        "Start date",
        called="Start date",
        description="The day the first week opens. For example, 1 3 2027",
    )
    pace = RadioField(
        "Pace",
        default=Pace.SELF_PACED.value,
        choices=[
            Choice(Pace.SELF_PACED.value, "Self-paced: every module is open from the start"),
            Choice(Pace.WEEKLY.value, "Weekly: module 1 opens on the start date, then one more module each week"),
        ],
        coerce=lambda value: value.value if isinstance(value, Pace) else value,
        validators=[DataRequired("Choose a pace")],
    )
    ends_on = DateInput(
        "End date (optional)",
        called="End date",
        required=False,
        description="After this day the cohort's learners can read its discussions but not post. "
        "Their progress and certificates stay. For example, 30 6 2027",
    )


class NewCohortForm(CohortForm):
    """A new cohort's details and, if the admin chooses one, its join code (later changed on
    its own page, so a code people already hold never changes by the way)."""

    join_code = StringField(
        "Join code (optional)",
        validators=[Optional(), Length(max=20)],
        description="Learners who have it can join the cohort themselves. Leave it empty and a "
        "code is made for you; choose one only if you want a code people can remember.",
    )


class JoinCodeForm(FlaskForm):
    join_code = StringField(
        "New join code (optional)",
        validators=[Optional(), Length(max=20)],
        description="4 to 20 letters, numbers or dashes. Leave it empty and a new code is made for you.",
    )


class MemberForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter the person's email address"),
            Email("Enter an email address in the correct format", check_deliverability=False),
        ],
    )
    role = RadioField(
        "Role in this cohort",
        default=CohortRole.LEARNER.value,
        choices=[Choice(CohortRole.LEARNER.value, "Learner"), Choice(CohortRole.FACILITATOR.value, "Facilitator")],
        validators=[DataRequired("Choose a role")],
    )


class ManyMembersForm(FlaskForm):
    emails = TextAreaField(
        "Email addresses, one a line",
        validators=[
            DataRequired("Enter at least one email address"),
            Length(max=MOST_LINES * (LONGEST + 2), message=f"Enter at most {MOST_LINES} email addresses at a time"),
        ],
        description=f"Paste up to {MOST_LINES} addresses, for example from a spreadsheet column.",
    )
    role = RadioField(
        "Add them as",
        default=CohortRole.LEARNER.value,
        choices=[Choice(CohortRole.LEARNER.value, "Learners"), Choice(CohortRole.FACILITATOR.value, "Facilitators")],
        validators=[DataRequired("Choose a role")],
    )
