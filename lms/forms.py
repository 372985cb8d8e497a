"""Forms shared by every feature."""

from flask import flash
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from lms.errors import DomainError


class EmptyForm(FlaskForm):
    """A CSRF-protected form with no fields, for POST-only buttons."""


class ReasonForm(FlaskForm):
    """The confirmation of a risky admin action: it acts only with a reason, which the audit log keeps."""

    reason = TextAreaField(
        "Why are you doing this?",
        description="The audit log keeps your reason with your name and the time.",
        validators=[DataRequired("Enter a reason"), Length(max=500, message="Keep the reason to 500 characters")],
    )


def attach_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal beside the field it concerns, or as a message if none."""
    field = getattr(form, error.field or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")
