"""Signing in with the organisation's identity provider, and the admin's sign-in settings.

With single sign-on not configured, the start and return routes answer 404: nothing is
sent to a provider and nothing that comes back is accepted."""

from __future__ import annotations

import logging

import requests
from authlib.integrations.base_client import OAuthError
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from joserfc.errors import JoseError

from lms.accounts import external, signing_in
from lms.accounts.access import role_required
from lms.accounts.models import Role
from lms.errors import DomainError
from lms.forms import attach_error
from lms.mail.links import external_url
from lms.security import keeps_input, safe_next
from lms.sso import client, service
from lms.sso.forms import SignInSettingsForm

bp = Blueprint("sso", __name__)
bp.record_once(lambda state: client.init_app(state.app))
log = logging.getLogger(__name__)

NEXT = "sso_next"  # where to go once signed in, kept in the session across the provider's pages
# What went wrong on the way back, in the provider's or the network's terms (never shown).
FAILED = (OAuthError, JoseError, client.WrongIssuer, requests.RequestException, ValueError, KeyError)


def _provider():
    provider = client.provider()
    if provider is None:
        abort(404)
    return provider


@bp.get("/sso/start")
def start():
    """Send the browser to the provider, with a fresh state, nonce and PKCE challenge."""
    provider = _provider()
    if current_user.is_authenticated:
        return redirect(url_for("learning.todo"))
    try:
        client.checked_metadata(provider)
    except FAILED as error:
        log.warning("single sign-on: the provider's discovery failed: %s", error)
        return _problem(503)
    session[NEXT] = safe_next(request.args.get("next"), None)
    return provider.authorize_redirect(external_url("sso.callback"))


@bp.get("/sso/callback")
def callback():
    """The provider sends the browser back here with a code: exchange it, check the id_token
    (signature, issuer, audience, expiry, nonce), then sign the person in."""
    provider = _provider()
    if request.args.get("error"):  # they cancelled, or the provider refused
        log.info("single sign-on: the provider answered %s", request.args.get("error"))
        return _problem(400, cancelled=True)
    try:
        client.checked_metadata(provider)
        token = provider.authorize_access_token()
        claims = token.get("userinfo")
        if not claims or not claims.get("sub"):
            raise ValueError("no id_token came back")
    except FAILED as error:
        log.warning("single sign-on refused: %s: %s", type(error).__name__, error)
        return _problem(400)
    try:
        user = service.sign_in_from_claims(current_app.config["LMS_OIDC_ISSUER"], claims)
    except external.ExternalSignInRefused as refused:
        return _problem(403, reason=refused.message)
    target = safe_next(session.get(NEXT), url_for("learning.todo"))
    signing_in.begin(user)  # a new session: the state and anything else held before are gone
    return redirect(target)


def _problem(status: int, reason: str | None = None, cancelled: bool = False):
    return render_template(
        "sso/problem.html", reason=reason, cancelled=cancelled, button=current_app.config["LMS_OIDC_BUTTON"]
    ), status


@bp.route("/admin/sign-in", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@keeps_input
def settings():
    saved = external.sign_in_settings()
    form = SignInSettingsForm(
        link_by_verified_email=saved.link_by_verified_email, passwords_for_admins_only=saved.passwords_for_admins_only
    )
    if form.validate_on_submit():
        try:
            service.save_settings(
                current_user,
                link_by_verified_email=form.link_by_verified_email.data,
                passwords_for_admins_only=form.passwords_for_admins_only.data,
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("The sign-in settings have been saved."), "success")
            return redirect(url_for("sso.settings"))
    return render_template(
        "sso/settings.html",
        form=form,
        configured=external.single_sign_on_configured(),
        callback_url=external_url("sso.callback"),
    )
