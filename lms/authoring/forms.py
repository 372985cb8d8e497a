from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from lms.content import schema
from lms.content.markdown import too_long
from lms.templating import STEP_TYPES
from lms.unsent import Box


def within_markdown_limits(name: str):
    """Course Markdown's size limits (lms.content.markdown), checked before anything renders it."""

    def check(form, field):
        if problem := too_long(field.data or ""):
            raise ValidationError(f"{name} {problem}")

    return check


# The fields a step type uses besides title, type, activity, duration and body: the editor
# shows only these (the others stay in the form, hidden, so switching type back loses nothing)
# and saves only these.
TYPE_FIELDS: dict[str, tuple[str, ...]] = {
    "article": ("see_also", "printable"),
    "video": ("video", "see_also"),
    "discussion": ("prompt", "reveal", "see_also"),
    "reflection": ("prompt", "reveal", "see_also", "printable"),
    "quiz": ("settings", "see_also"),
    "test": ("settings", "see_also"),
    "self-assessment": ("settings", "see_also"),
}
OPTIONAL_FIELDS = ("prompt", "reveal", "video", "settings", "see_also", "printable")


class StepForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title"), Length(max=200)])
    type = SelectField(
        "Type",
        validators=[DataRequired("Choose a type")],
        description="Each type has its own fields. Changing it shows them (without JavaScript, select Update fields).",
    )
    duration = IntegerField(
        "Duration in minutes",
        validators=[
            InputRequired("Enter the duration in minutes, as a whole number"),
            NumberRange(1, 600, "Duration must be from 1 to 600 minutes"),
        ],
    )
    prompt = TextAreaField(
        "Prompt",
        validators=[Optional(), Length(max=2000)],
        description="The question shown above the box.",
    )
    reveal = SelectField(
        "Other learners' comments",
        choices=[
            Choice("always", "Show them from the start"),
            Choice("after-posting", "Show them once the learner has posted their own"),
        ],
        default="always",
        validators=[Optional()],
        description="Showing them after posting keeps first answers the learner's own.",
    )
    video = StringField(
        "Video link",
        validators=[Optional(), Length(max=500)],
        description="Optional: an https link to the recording.",
    )
    settings = TextAreaField(
        "Questions and settings (YAML)",
        validators=[Optional()],
        description="The questions (quizzes and tests) or the scale, dimensions and statements "
        "(self-assessments), in the same YAML as the content files.",
    )
    see_also = TextAreaField(
        "See also",
        validators=[Optional(), Length(max=2000)],
        description="Steps this one builds on or leads to, one a line, as module-slug/step-slug "
        "(for example what-compassionate-leadership-is/attending).",
    )
    printable = BooleanField("Offer a printable copy (PDF) of this step")
    body = TextAreaField(
        "Body (Markdown)",
        validators=[Optional(), within_markdown_limits("The body")],
        description="Use ## for headings. End with a ## Sources list when the step cites research.",
    )
    base_revision = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type.choices = [Choice(t, STEP_TYPES.get(t, t)) for t in schema.STEP_TYPES]

    def uses(self, name: str) -> bool:
        """Whether the chosen type uses the field (an unknown type: every field)."""
        return name in TYPE_FIELDS.get(self.type.data, OPTIONAL_FIELDS)

    def shows(self, name: str) -> bool:
        """Shown when the type uses it, or when it has something to fix."""
        return self.uses(name) or bool(self[name].errors)

    @staticmethod
    def types_using(name: str) -> str:
        """The types that use the field, for the script that shows and hides it."""
        return " ".join(kind for kind, names in TYPE_FIELDS.items() if name in names)


class NewStepForm(StepForm):
    activity = SelectField("Activity", validators=[DataRequired("Choose an activity")])
    slug = StringField(
        "Web address name (optional)",
        validators=[Optional(), Length(max=80)],
        description="Lower-case words joined by dashes. Made from the title if left empty; "
        "it cannot change later, because learners' progress is kept by it.",
    )


class MoveForm(FlaskForm):
    activity = SelectField("Move to activity", validators=[DataRequired("Choose an activity")])


class ModuleForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title"), Length(max=200)])
    summary = TextAreaField("Summary", validators=[DataRequired("Enter a one-sentence summary"), Length(max=2000)])
    hours = FloatField(
        "Hours of learning",
        validators=[
            InputRequired("Enter the hours, for example 2 or 2.5"),
            NumberRange(0.25, 100, "Hours must be from 0.25 to 100"),
        ],
    )
    activities = TextAreaField(
        "Activities",
        validators=[DataRequired("Enter at least one activity")],
        description="One per line, in order: a web address name, a colon, then the "
        "title. For example: the-evidence: The evidence",
    )
    introduction = TextAreaField(
        "Introduction (Markdown)",
        validators=[
            DataRequired("Enter an introduction"),
            within_markdown_limits("The introduction"),
        ],
    )


class NewModuleForm(ModuleForm):
    slug = StringField(
        "Web address name (optional)",
        validators=[Optional(), Length(max=80)],
        description="Made from the title if left empty; it cannot change later.",
    )


# Sent after the sign-in ended: kept, and back in the editor after signing in.
_STEP_FIELDS = (
    ("title", "Title"),
    ("type", ""),
    ("duration", "Duration in minutes"),
    ("prompt", "Prompt"),
    ("reveal", ""),
    ("video", "Video link"),
    ("settings", "Questions and settings (YAML)"),
    ("see_also", "See also"),
    ("printable", ""),
    ("body", "Body (Markdown)"),
    ("base_revision", ""),  # so a change made meanwhile is still found when it is saved
)
STEP_BOX = Box("step", noun="change to this step", verb="save", done="saved", fields=_STEP_FIELDS)
NEW_STEP_BOX = Box(
    "new-step", noun="new step", verb="save", done="saved", fields=(*_STEP_FIELDS, ("activity", ""), ("slug", ""))
)
