from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

_URL = [DataRequired("Enter the web address"), Length(max=500)]


class PlatformForm(FlaskForm):
    name = StringField(
        "Name",
        description="How you refer to it, such as Anytown Trust Moodle",
        validators=[DataRequired("Enter a name"), Length(max=120)],
    )
    issuer = StringField("Issuer (platform ID)", validators=[DataRequired("Enter the issuer"), Length(max=255)])
    client_id = StringField("Client ID", validators=[DataRequired("Enter the client ID"), Length(max=255)])
    deployment_ids = TextAreaField(
        "Deployment IDs",
        description="One a line",
        validators=[DataRequired("Enter at least one deployment ID"), Length(max=2000)],
    )
    key_set_url = StringField("Public keyset URL", validators=_URL)
    auth_login_url = StringField("Authentication request URL", validators=_URL)
    auth_token_url = StringField("Access token URL", validators=_URL)
