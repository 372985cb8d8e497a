"""Forms shared by every feature."""
from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """A CSRF-protected form with no fields, for POST-only buttons."""
