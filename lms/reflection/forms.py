from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length

from lms.reflection.service import MAX_LENGTH, SECTIONS

_LIMIT = Length(max=MAX_LENGTH, message=f"Keep this to {MAX_LENGTH:,} characters or fewer")


class ReflectionForm(FlaskForm):
    body = TextAreaField(
        "Your reflection",
        validators=[_LIMIT],
        description="Only you can read this. Facilitators, admins and other learners never see it.",
    )
    what = TextAreaField(SECTIONS[0][1], validators=[_LIMIT], description=SECTIONS[0][2])
    learned = TextAreaField(SECTIONS[1][1], validators=[_LIMIT])
    practice = TextAreaField(SECTIONS[2][1], validators=[_LIMIT])
    code = TextAreaField(SECTIONS[3][1], validators=[_LIMIT], description=SECTIONS[3][2])
    in_record = BooleanField("Include this reflection in my learning record")

    def sections(self) -> dict[str, str]:
        return {key: getattr(self, key).data or "" for key in ("what", "learned", "practice", "code")}

    def fill(self, reflection) -> None:
        self.body.data = reflection.body_md
        for key, text in (reflection.sections_md or {}).items():
            getattr(self, key).data = text
        self.in_record.data = reflection.in_record
