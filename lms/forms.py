"""Forms shared by every feature."""

from flask import flash
from flask_wtf import FlaskForm

from lms.errors import DomainError


class EmptyForm(FlaskForm):
    """A CSRF-protected form with no fields, for POST-only buttons."""


def attach_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's refusal beside the field it concerns, or as a message if none."""
    field = getattr(form, error.field or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")
