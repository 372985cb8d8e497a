from flask import request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice as Choice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from lms.content import schema
from lms.content.markdown import MAX_LENGTH, MAX_LINES, too_long
from lms.templating import STEP_TYPES
from lms.unsent import Box

# Course Markdown's size limits (lms.content.markdown), in whole sentences for each text.
SIZE_PROBLEMS = {
    "body": (
        _l("The body is %(count)s characters long; it can be at most %(most)s"),
        _l("The body is %(count)s lines long; it can be at most %(most)s"),
    ),
    "introduction": (
        _l("The introduction is %(count)s characters long; it can be at most %(most)s"),
        _l("The introduction is %(count)s lines long; it can be at most %(most)s"),
    ),
    "preview": (
        _l("The text is too long to preview: it is %(count)s characters long; it can be at most %(most)s."),
        _l("The text is too long to preview: it is %(count)s lines long; it can be at most %(most)s."),
    ),
}


def size_problem(text: str, which: str) -> str | None:
    """Why the text (`which` of SIZE_PROBLEMS) is too long to render, or None when it is not."""
    if not too_long(text):
        return None
    characters, lines = SIZE_PROBLEMS[which]
    if len(text) > MAX_LENGTH:
        return str(characters) % {"count": f"{len(text):,}", "most": f"{MAX_LENGTH:,}"}
    return str(lines) % {"count": f"{text.count(chr(10)) + 1:,}", "most": f"{MAX_LINES:,}"}


def within_markdown_limits(which: str):
    """Course Markdown's size limits, checked before anything renders it."""

    def check(form, field):
        if problem := size_problem(field.data or "", which):
            raise ValidationError(problem)

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
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title")), Length(max=200)])
    type = SelectField(
        _l("Type"),
        validators=[DataRequired(_l("Choose a type"))],
        description=_l(
            "Each type has its own fields. Changing it shows them (without JavaScript, select Update fields)."
        ),
    )
    duration = IntegerField(
        _l("Duration in minutes"),
        validators=[
            InputRequired(_l("Enter the duration in minutes, as a whole number")),
            NumberRange(1, 600, _l("Duration must be from 1 to 600 minutes")),
        ],
    )
    prompt = TextAreaField(
        _l("Prompt"),
        validators=[Optional(), Length(max=2000)],
        description=_l("The question shown above the box."),
    )
    reveal = SelectField(
        _l("Other learners' comments"),
        choices=[
            Choice("always", _l("Show them from the start")),
            Choice("after-posting", _l("Show them once the learner has posted their own")),
        ],
        default="always",
        validators=[Optional()],
        description=_l("Showing them after posting keeps first answers the learner's own."),
    )
    video = StringField(
        _l("Video link"),
        validators=[Optional(), Length(max=500)],
        description=_l("Optional: an https link to the recording."),
    )
    settings = TextAreaField(
        _l("Questions and settings (YAML)"),
        validators=[Optional()],
        description=_l(
            "The questions (quizzes and tests) or the scale, dimensions and statements "
            "(self-assessments), in the same YAML as the content files."
        ),
    )
    see_also = TextAreaField(
        _l("See also"),
        validators=[Optional(), Length(max=2000)],
        description=_l(
            "Steps this one builds on or leads to, one a line, as module-slug/step-slug "
            "(for example what-compassionate-leadership-is/attending)."
        ),
    )
    printable = BooleanField(_l("Offer a printable copy (PDF) of this step"))
    body = TextAreaField(
        _l("Body (Markdown)"),
        validators=[Optional(), within_markdown_limits("body")],
        description=_l("Use ## for headings. End with a ## Sources list when the step cites research."),
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


class StepTranslationForm(FlaskForm):
    """A step's version in another language: its words only. Type, activity, duration and the
    settings with fields of their own (reveal, see also, printable) are the English step's;
    a quiz's or self-assessment's YAML is the translation's, checked against the English."""

    title = StepForm.title
    prompt = StepForm.prompt
    video = StepForm.video
    settings = StepForm.settings
    body = StepForm.body
    base_revision = StepForm.base_revision

    def __init__(self, english_type: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.english_type = english_type

    def uses(self, name: str) -> bool:
        return name in TYPE_FIELDS.get(self.english_type, OPTIONAL_FIELDS)

    def shows(self, name: str) -> bool:
        return self.uses(name) or bool(self[name].errors)


class NewStepForm(StepForm):
    activity = SelectField(_l("Activity"), validators=[DataRequired(_l("Choose an activity"))])
    slug = StringField(
        _l("Web address name (optional)"),
        validators=[Optional(), Length(max=80)],
        description=_l(
            "Lower-case words joined by dashes. Made from the title if left empty; "
            "it cannot change later, because learners' progress is kept by it."
        ),
    )


class MoveForm(FlaskForm):
    activity = SelectField(_l("Move to activity"), validators=[DataRequired(_l("Choose an activity"))])


class ModuleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title")), Length(max=200)])
    summary = TextAreaField(
        _l("Summary"), validators=[DataRequired(_l("Enter a one-sentence summary")), Length(max=2000)]
    )
    hours = FloatField(
        _l("Hours of learning"),
        validators=[
            InputRequired(_l("Enter the hours, for example 2 or 2.5")),
            NumberRange(0.25, 100, _l("Hours must be from 0.25 to 100")),
        ],
    )
    activities = TextAreaField(
        _l("Activities"),
        validators=[DataRequired(_l("Enter at least one activity"))],
        description=_l(
            "One per line, in order: a web address name, a colon, then the "
            "title. For example: the-evidence: The evidence"
        ),
    )
    introduction = TextAreaField(
        _l("Introduction (Markdown)"),
        validators=[
            DataRequired(_l("Enter an introduction")),
            within_markdown_limits("introduction"),
        ],
    )


class ModuleTranslationForm(FlaskForm):
    """A module's words in another language: its hours and activities' web address names are
    the English module's (only the activities' titles change)."""

    title = ModuleForm.title
    summary = ModuleForm.summary
    activities = ModuleForm.activities
    introduction = ModuleForm.introduction


class NewModuleForm(ModuleForm):
    slug = StringField(
        _l("Web address name (optional)"),
        validators=[Optional(), Length(max=80)],
        description=_l("Made from the title if left empty; it cannot change later."),
    )


# Sent after the sign-in ended: kept, and back in the editor after signing in.
_STEP_FIELDS = (
    ("title", _l("Title")),
    ("type", ""),
    ("duration", _l("Duration in minutes")),
    ("prompt", _l("Prompt")),
    ("reveal", ""),
    ("video", _l("Video link")),
    ("settings", _l("Questions and settings (YAML)")),
    ("see_also", _l("See also")),
    ("printable", ""),
    ("body", _l("Body (Markdown)")),
    ("base_revision", ""),  # so a change made meanwhile is still found when it is saved
)


def step_page(step_id: int) -> str:
    """The editor the box was sent from, in its language (`?language=cy`): kept text goes back
    to the version it was written for, never into the other language's boxes."""
    return url_for("authoring.edit_step", step_id=step_id, language=request.args.get("language") or None)


STEP_BOX = Box("step", noun="change to this step", verb="save", done="saved", fields=_STEP_FIELDS, page=step_page)
NEW_STEP_BOX = Box(
    "new-step", noun="new step", verb="save", done="saved", fields=(*_STEP_FIELDS, ("activity", ""), ("slug", ""))
)
