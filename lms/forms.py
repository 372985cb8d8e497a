"""Forms shared by every feature."""

from datetime import date

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import DataRequired, Length, StopValidation

from lms.errors import DomainError


class EmptyForm(FlaskForm):
    """A CSRF-protected form with no fields, for POST-only buttons."""


class ReasonForm(FlaskForm):
    """The confirmation of a risky admin action: it acts only with a reason, which the audit log keeps."""

    reason = TextAreaField(
        _l("Why are you doing this?"),
        description=_l("The audit log keeps your reason with your name and the time."),
        validators=[
            DataRequired(_l("Enter a reason")),
            Length(max=500, message=_l("Keep the reason to 500 characters")),
        ],
    )


def attach_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal beside the field it concerns, or as a message if none."""
    field = getattr(form, error.field or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


class DateInput(Field):
    """A date typed as day, month and year in three boxes (the NHS.UK date input), named
    `<name>-day`, `<name>-month` and `<name>-year`; rendered by `date_input` in
    templates/macros/forms.html. What was typed stays in `parts`, so a mistake comes back as
    it was typed. Messages name the field as `called` ("Start date must include a year"): give
    it through lazy_gettext, as the label is."""

    PARTS = ("day", "month", "year")
    # What is missing, as each language says it: "Start date must include a day and month".
    MISSING = {
        ("day",): _l("%(called)s must include a day"),
        ("month",): _l("%(called)s must include a month"),
        ("year",): _l("%(called)s must include a year"),
        ("day", "month"): _l("%(called)s must include a day and month"),
        ("day", "year"): _l("%(called)s must include a day and year"),
        ("month", "year"): _l("%(called)s must include a month and year"),
    }

    def __init__(self, label=None, validators=None, called: str = _l("The date"), required: bool = True, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.called = called
        self.required = required
        self.parts = dict.fromkeys(self.PARTS, "")

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = self.data = data
        if isinstance(data, date):
            self.parts = {"day": str(data.day), "month": str(data.month), "year": str(data.year)}
        names = [f"{self.name}-{part}" for part in self.PARTS]
        if formdata is not None:  # a form sent without the boxes is a date left empty
            self.parts = {part: (formdata.get(name) or "").strip()[:10] for part, name in zip(self.PARTS, names)}
            self.data = None
            try:
                self.data = self._parse()
            except ValueError as error:
                self.process_errors.append(str(error))

    def _parse(self) -> date | None:
        typed, called = self.parts, str(self.called)
        if not any(typed.values()):
            if self.required:
                raise ValueError(_("Enter the %(called)s", called=called.lower()))
            return None
        missing = tuple(part for part in self.PARTS if not typed[part])
        if missing:
            raise ValueError(str(self.MISSING[missing]) % {"called": called})
        if not all(value.isdigit() for value in typed.values()):
            raise ValueError(_("%(called)s must be a real date, in numbers, for example 9 3 2027", called=called))
        if len(typed["year"]) != 4:
            raise ValueError(_("%(called)s: the year must have 4 numbers, for example 2027", called=called))
        try:
            return date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
        except ValueError:
            raise ValueError(_("%(called)s must be a real date", called=called)) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # the message is already in self.errors
