from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class SignInSettingsForm(FlaskForm):
    link_by_verified_email = BooleanField(
        _l("Link by verified email address"),
        description=_l(
            "Someone who signs in with your organisation for the first time reaches the account that "
            "already has their email address, if the organisation says it has verified that address."
        ),
    )
    passwords_for_admins_only = BooleanField(
        _l("Only administrators sign in with a password"),
        description=_l("Everyone else signs in with your organisation. The sign-in page then shows only that button."),
    )
