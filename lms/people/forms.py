from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import DataRequired, Email, Length, Optional

from lms.accounts.models import Role
from lms.cohorts.addresses import LONGEST, MOST_LINES
from lms.cohorts.models import CohortRole, Pace
from lms.forms import DateInput

# The roles by name, for people who read them on a page (the stored value is the code).
ROLE_NAMES = {
    Role.LEARNER.value: _l("Learner"),
    Role.FACILITATOR.value: _l("Facilitator"),
    Role.ADMIN.value: _l("Admin"),
}

ROLE_CHOICES = [
    Choice(Role.LEARNER.value, ROLE_NAMES[Role.LEARNER.value]),
    Choice(Role.FACILITATOR.value, ROLE_NAMES[Role.FACILITATOR.value]),
    Choice(Role.ADMIN.value, ROLE_NAMES[Role.ADMIN.value]),
]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(_l("Search by name or email"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), choices=[Choice("", _l("Any role")), *ROLE_CHOICES], validators=[Optional()])


class RoleForm(FlaskForm):
    role = RadioField(_l("Role"), choices=ROLE_CHOICES, validators=[DataRequired(_l("Choose a role"))])


class CohortForm(FlaskForm):
    name = StringField(
        _l("Cohort name"),
        validators=[DataRequired(_l("Enter a name for the cohort")), Length(max=120)],
        description=_l("For example, Ward leaders, spring 2027"),
    )
    starts_on = DateInput(
        _l("Start date"),
        called=_l("Start date"),
        description=_l("The day the first week opens. For example, 1 3 2027"),
    )
    pace = RadioField(
        _l("Pace"),
        default=Pace.SELF_PACED.value,
        choices=[
            Choice(Pace.SELF_PACED.value, _l("Self-paced: every module is open from the start")),
            Choice(Pace.WEEKLY.value, _l("Weekly: module 1 opens on the start date, then one more module each week")),
        ],
        coerce=lambda value: value.value if isinstance(value, Pace) else value,
        validators=[DataRequired(_l("Choose a pace"))],
    )
    ends_on = DateInput(
        _l("End date (optional)"),
        called=_l("End date"),
        required=False,
        description=_l(
            "After this day the cohort's learners can read its discussions but not post. "
            "Their progress and certificates stay. For example, 30 6 2027"
        ),
    )


class NewCohortForm(CohortForm):
    """A new cohort's details and, if the admin chooses one, its join code (later changed on
    its own page, so a code people already hold never changes by the way)."""

    join_code = StringField(
        _l("Join code (optional)"),
        validators=[Optional(), Length(max=20)],
        description=_l(
            "Learners who have it can join the cohort themselves. Leave it empty and a "
            "code is made for you; choose one only if you want a code people can remember."
        ),
    )


class JoinCodeForm(FlaskForm):
    join_code = StringField(
        _l("New join code (optional)"),
        validators=[Optional(), Length(max=20)],
        description=_l("4 to 20 letters, numbers or dashes. Leave it empty and a new code is made for you."),
    )


class MemberForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter the person's email address")),
            Email(_l("Enter an email address in the correct format"), check_deliverability=False),
        ],
    )
    role = RadioField(
        _l("Role in this cohort"),
        default=CohortRole.LEARNER.value,
        choices=[
            Choice(CohortRole.LEARNER.value, _l("Learner")),
            Choice(CohortRole.FACILITATOR.value, _l("Facilitator")),
        ],
        validators=[DataRequired(_l("Choose a role"))],
    )


class ManyMembersForm(FlaskForm):
    emails = TextAreaField(
        _l("Email addresses, one a line"),
        validators=[
            DataRequired(_l("Enter at least one email address")),
            Length(
                max=MOST_LINES * (LONGEST + 2),
                message=_l("Enter at most %(most)d email addresses at a time", most=MOST_LINES),
            ),
        ],
        description=_l("Paste up to %(most)d addresses, for example from a spreadsheet column.", most=MOST_LINES),
    )
    role = RadioField(
        _l("Add them as"),
        default=CohortRole.LEARNER.value,
        choices=[
            Choice(CohortRole.LEARNER.value, _l("Learners")),
            Choice(CohortRole.FACILITATOR.value, _l("Facilitators")),
        ],
        validators=[DataRequired(_l("Choose a role"))],
    )
