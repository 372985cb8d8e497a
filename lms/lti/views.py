"""LTI 1.3: the tool's key set, login initiation, the launch and the one-time link that
finishes signing in; the admin's platform registrations and the tool's configuration.

The platform posts to /lti/login and /lti/launch from its own site, so those two are exempt
from the CSRF token: the state (kept in a cookie of its own, the only one that is
SameSite=None) and the nonce in the signed id_token do that job."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from lms.accounts import signing_in
from lms.accounts.access import role_required
from lms.accounts.models import Role
from lms.cohorts import service as cohorts
from lms.errors import DomainError
from lms.extensions import csrf
from lms.forms import EmptyForm, attach_error
from lms.lti import deep_linking, keys, roster, service  # grades: connects its receiver
from lms.lti.forms import PlatformForm
from lms.security import CSP, keeps_input

bp = Blueprint("lti", __name__)
log = logging.getLogger(__name__)
admin_only = role_required(Role.ADMIN)

STATE_COOKIE = "lms_lti_state"


@bp.get("/lti/jwks")
def jwks():
    """The tool's public key, once a platform is registered (until then LTI is off)."""
    if not service.platforms():
        abort(404)
    return jsonify(keys.public_key_set())


@bp.route("/lti/login", methods=["GET", "POST"])
@csrf.exempt
def login():
    """The platform's login initiation: send the browser to its authorization endpoint with a
    new state and nonce; the state is kept in this browser's launch cookie too."""
    try:
        location, state = service.start_login(request.values.to_dict())
    except service.Refused as refused:
        log.info("LTI login initiation refused: %s", refused.cause)
        return _refused(refused, 400)
    response = redirect(location)
    # Cross-site (the platform posts the id_token back from its own site, perhaps in an
    # iframe): SameSite=None needs Secure. Only this cookie; the session's stays Lax.
    response.set_cookie(STATE_COOKIE, state, max_age=600, path="/lti/", secure=True, httponly=True, samesite="None")
    return response


@bp.post("/lti/launch")
@csrf.exempt
def launch():
    try:
        token = service.accept_launch(
            request.form.get("id_token", ""), request.form.get("state", ""), request.cookies.get(STATE_COOKIE)
        )
    except service.Refused as refused:
        log.warning("LTI launch refused: %s", refused.cause)
        response = _refused(refused, 400)
    else:
        onward = url_for("lti.continue_launch", token=token)
        if request.headers.get("Sec-Fetch-Dest") != "iframe":
            response = redirect(onward)
        else:
            # In the platform's iframe our sign-in cookie would not be kept: open a window.
            response = render_template("lti/launched.html", onward=onward)
            response = _framable(response)
    response = make_response(response)
    response.delete_cookie(STATE_COOKIE, path="/lti/", secure=True, httponly=True, samesite="None")
    return response


def _framable(page):
    """The launch's answer may be shown in the platform's iframe (only this page)."""
    response = make_response(page)
    origin = request.headers.get("Origin") or ""
    parts = urlsplit(origin)
    ancestors = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("https", "http") and parts.netloc else "'none'"
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; style-src 'self'; img-src 'self' data:; script-src 'self'; frame-ancestors {ancestors}"
    )
    return response


def _refused(refused: service.Refused, status: int):
    return render_template("lti/refused.html", message=refused.message), status


@bp.get("/lti/continue/<token>")
def continue_launch(token: str):
    """The launch's one-time link: sign the person in here, then on to where the link pointed."""
    try:
        user, target = service.continue_launch(token)
    except service.Refused as refused:
        return _refused(refused, 400)
    signing_in.begin(user)
    return redirect(target)


@bp.route("/lti/deep-link/<int:launch_id>", methods=["GET", "POST"])
@role_required(Role.FACILITATOR)
def deep_link(launch_id: int):
    """A deep-linking launch: the instructor picks a module or a step, and the platform gets
    a signed answer naming it (posted from this page by the instructor's browser)."""
    try:
        choices = deep_linking.deep_link_choices(current_user, launch_id)
    except service.Refused:
        abort(404)
    chosen = request.form.get("item", "") if request.method == "POST" else ""
    if chosen and EmptyForm().validate_on_submit():
        try:
            return_url, answer = deep_linking.deep_link_answer(current_user, launch_id, chosen)
        except service.Refused as refused:
            flash(refused.message, "error")
        else:
            page = make_response(render_template("lti/deep_link_answer.html", return_url=return_url, jwt=answer))
            origin = urlsplit(return_url)
            page.headers["Content-Security-Policy"] = CSP.replace(
                "form-action 'self'", f"form-action 'self' {origin.scheme}://{origin.netloc}"
            )
            return page
    elif request.method == "POST":
        flash(_("Choose a module or a step"), "error")
    return render_template("lti/deep_link.html", choices=choices, form=EmptyForm())


@bp.app_context_processor
def _roster_offer():
    """The cohort dashboard sits in a layer below this one, so it asks through a template
    function whether a platform's roster can fill the cohort."""
    return {"platform_offering": roster.platform_offering}


@bp.route("/lti/cohorts/<int:cohort_id>/roster", methods=["GET", "POST"])
@login_required
def pull_roster(cohort_id: int):
    """A cohort's facilitator fills it with the people the platform lists in its course."""
    if not cohorts.can_facilitate(current_user, cohort_id):
        abort(403)
    context, platform = roster.context_of(cohort_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            added = roster.pull_roster(current_user, cohort_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            flash(
                ngettext(
                    "%(num)d person added from %(platform)s.",
                    "%(num)d people added from %(platform)s.",
                    added,
                    platform=platform.name,
                ),
                "success",
            )
            return redirect(url_for("facilitation.dashboard", cohort_id=cohort_id))
    return render_template("lti/roster.html", form=form, context=context, platform=platform, cohort_id=cohort_id)


@bp.get("/admin/lti")
@admin_only
def platforms():
    return render_template("lti/platforms.html", platforms=service.platforms(), urls=service.tool_urls())


@bp.route("/admin/lti/new", methods=["GET", "POST"])
@admin_only
@keeps_input
def new_platform():
    return _platform_form(None)


@bp.route("/admin/lti/<int:platform_id>", methods=["GET", "POST"])
@admin_only
@keeps_input
def edit_platform(platform_id: int):
    return _platform_form(service.get_platform(platform_id))


def _platform_form(platform):
    form = PlatformForm(obj=platform)
    if form.validate_on_submit():
        try:
            service.save_platform(current_user, platform, **{f.name: f.data for f in form if f.name != "csrf_token"})
        except DomainError as error:
            attach_error(form, error)
        else:
            flash(_("%(name)s is registered.", name=form.name.data), "success")
            return redirect(url_for("lti.platforms"))
    return render_template("lti/platform.html", form=form, platform=platform, urls=service.tool_urls())
