from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

_URL = [DataRequired(_l("Enter the web address")), Length(max=500)]


class PlatformForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("How you refer to it, such as Anytown Trust Moodle"),
        validators=[DataRequired(_l("Enter a name")), Length(max=120)],
    )
    issuer = StringField(_l("Issuer (platform ID)"), validators=[DataRequired(_l("Enter the issuer")), Length(max=255)])
    client_id = StringField(_l("Client ID"), validators=[DataRequired(_l("Enter the client ID")), Length(max=255)])
    deployment_ids = TextAreaField(
        _l("Deployment IDs"),
        description=_l("One a line"),
        validators=[DataRequired(_l("Enter at least one deployment ID")), Length(max=2000)],
    )
    key_set_url = StringField(_l("Public keyset URL"), validators=_URL)
    auth_login_url = StringField(_l("Authentication request URL"), validators=_URL)
    auth_token_url = StringField(_l("Access token URL"), validators=_URL)
