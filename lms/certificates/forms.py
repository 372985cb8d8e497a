from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length


class CheckCodeForm(FlaskForm):
    """Anyone checks a certificate by its code: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Verification code"),
        validators=[InputRequired(_l("Enter the verification code")), Length(max=40)],
        description=_l("16 letters and numbers, printed on the certificate, for example 7K3M-QX9P-H2TD-W8RF"),
    )
