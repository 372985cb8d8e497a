from dataclasses import replace

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length

from lms.reflection.service import MAX_LENGTH, SECTIONS
from lms.unsent import Box

_LIMIT = Length(max=MAX_LENGTH, message=_l("Keep this to %(most)s characters or fewer", most=f"{MAX_LENGTH:,}"))


class ReflectionForm(FlaskForm):
    body = TextAreaField(
        _l("Your reflection"),
        validators=[_LIMIT],
        description=_l("Only you can read this. Facilitators, admins and other learners never see it."),
    )
    what = TextAreaField(SECTIONS[0][1], validators=[_LIMIT], description=SECTIONS[0][2])
    learned = TextAreaField(SECTIONS[1][1], validators=[_LIMIT])
    practice = TextAreaField(SECTIONS[2][1], validators=[_LIMIT])
    code = TextAreaField(SECTIONS[3][1], validators=[_LIMIT], description=SECTIONS[3][2])
    in_record = BooleanField(_l("Include this reflection in my learning record"))

    def sections(self) -> dict[str, str]:
        return {key: getattr(self, key).data or "" for key in ("what", "learned", "practice", "code")}

    def fill(self, reflection) -> None:
        self.body.data = reflection.body_md
        for key, text in (reflection.sections_md or {}).items():
            getattr(self, key).data = text
        self.in_record.data = reflection.in_record


# Sent after the sign-in ended: kept, and back in the box on the step page after signing in.
BOX = Box(
    "reflection",
    noun="reflection",
    verb="save",
    done="saved",
    fields=(("body", _l("Your reflection")), *((key, label) for key, label, _hint in SECTIONS), ("in_record", "")),
    page=lambda module_slug, step_slug: url_for("steps.step", module_slug=module_slug, step_slug=step_slug),
    anchor="reflection",
)
AUTOSAVE_BOX = replace(BOX, json=True)  # answers the script in JSON
EDIT_BOX = replace(BOX, page=None, anchor="")  # on its own page (My reflections, Edit)
