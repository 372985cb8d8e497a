"""LTI 1.3 launches: registered platforms, login initiation, the launch itself (checked,
then the person signed in, put in their context's cohort and sent where the link points),
and the one-time link that finishes signing in on a page of our own."""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date, timedelta
from urllib.parse import urlencode, urlsplit

import requests
import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from lms.accounts import external
from lms.accounts.models import IdentityKind, Role, User
from lms.audit import service as audit
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.content import service as content
from lms.db import utcnow
from lms.errors import InvalidInput, NotFound
from lms.extensions import db
from lms.learning import service as learning
from lms.lti import messages, platform_calls
from lms.lti.models import LtiContext, LtiLaunch, LtiPlatform
from lms.mail import service as mail
from lms.mail.links import external_url
from lms.security import safe_next

log = logging.getLogger(__name__)

LOGIN_LIFETIME = timedelta(minutes=10)  # from login initiation to the id_token arriving
CONTINUE_LIFETIME = timedelta(minutes=5)  # from the launch to the person opening the course


class Refused(Exception):
    """A launch that cannot go ahead: `message` is for the person, the cause for the log."""

    def __init__(self, message: str, cause: str = ""):
        super().__init__(message)
        self.message, self.cause = message, cause or message


# -- Platforms ----------------------------------------------------------------------------


def platforms() -> list[LtiPlatform]:
    return list(db.session.scalars(sa.select(LtiPlatform).order_by(LtiPlatform.name, LtiPlatform.id)))


def get_platform(platform_id: int) -> LtiPlatform:
    platform = db.session.get(LtiPlatform, platform_id)
    if platform is None:
        raise NotFound(_("No such platform"))
    return platform


def _url(value: str, field: str) -> str:
    value = (value or "").strip()
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise InvalidInput(_("Enter a full web address, starting https://"), field=field)
    return value


def save_platform(actor: User, platform: LtiPlatform | None = None, **fields) -> LtiPlatform:
    """Register a platform (or change one); audited. Commits."""
    name, issuer, client_id = (fields[k].strip() for k in ("name", "issuer", "client_id"))
    if not name:
        raise InvalidInput(_("Enter a name for the platform"), field="name")
    deployments = "\n".join(d.strip() for d in fields["deployment_ids"].replace(",", "\n").splitlines() if d.strip())
    if not deployments:
        raise InvalidInput(_("Enter at least one deployment ID"), field="deployment_ids")
    taken = db.session.scalar(
        sa.select(LtiPlatform.id).where(LtiPlatform.issuer == issuer, LtiPlatform.client_id == client_id)
    )
    if taken is not None and (platform is None or taken != platform.id):
        raise InvalidInput(_("A platform with this issuer and client ID is already registered"), field="client_id")
    platform = platform or LtiPlatform()
    platform.name, platform.issuer, platform.client_id, platform.deployment_ids = name, issuer, client_id, deployments
    platform.issuer = _url(issuer, "issuer")
    platform.key_set_url = _url(fields["key_set_url"], "key_set_url")
    platform.auth_login_url = _url(fields["auth_login_url"], "auth_login_url")
    platform.auth_token_url = _url(fields["auth_token_url"], "auth_token_url")
    db.session.add(platform)
    db.session.flush()
    audit.record(actor, "lti.platform", platform, details={"issuer": issuer, "client_id": client_id})
    db.session.commit()
    return platform


def tool_urls() -> dict[str, str]:
    """What an admin copies into the platform's registration of this tool."""
    return {
        "login": external_url("lti.login"),
        "launch": external_url("lti.launch"),
        "jwks": external_url("lti.jwks"),
        "deep_link": external_url("lti.launch"),
    }


# -- Login initiation -----------------------------------------------------------------------


def start_login(params: dict) -> tuple[str, str]:
    """Answer a platform's login initiation: the address of its authorization endpoint to
    send the browser to, and the state (which the caller also keeps in a cookie). Commits."""
    issuer, client_id = str(params.get("iss") or ""), str(params.get("client_id") or "")
    query = sa.select(LtiPlatform).where(LtiPlatform.issuer == issuer)
    if client_id:
        query = query.where(LtiPlatform.client_id == client_id)
    found = list(db.session.scalars(query.limit(2)))
    if len(found) != 1 or not params.get("login_hint"):
        raise Refused(_("This learning platform is not registered here."), f"login initiation from {issuer!r}")
    platform = found[0]
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    db.session.add(LtiLaunch(platform_id=platform.id, state=state, nonce=nonce))
    db.session.commit()
    answer = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": external_url("lti.launch"),
        "login_hint": params["login_hint"],
        "state": state,
        "nonce": nonce,
    }
    if params.get("lti_message_hint"):
        answer["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if "?" in platform.auth_login_url else "?"
    return platform.auth_login_url + separator + urlencode(answer), state


# -- The launch ---------------------------------------------------------------------------------


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # whatever arrived, comparable and hashable


def _hash(token: str) -> str:
    return hashlib.sha256(_bytes(token)).hexdigest()


def accept_launch(id_token: str, state: str, browser_state: str | None) -> str:
    """Check a launch and prepare the person's arrival; return the one-time token that signs
    them in (`continue_launch`). The state must be the one this browser was given at login
    initiation, unused and recent; the id_token must carry that login's nonce. Commits."""
    if not state or not browser_state or not secrets.compare_digest(_bytes(state), _bytes(browser_state)):
        raise Refused(_("This launch did not come from this browser."), "state cookie missing or different")
    launch = db.session.scalar(sa.select(LtiLaunch).where(LtiLaunch.state == state).with_for_update())
    if launch is None or launch.launched_at is not None:
        raise Refused(
            _("This launch has been used already. Open the course again from your learning platform."),
            "launch used already",
        )
    launch.launched_at = utcnow()  # the state and nonce are used up, whatever happens next
    db.session.commit()
    if launch.created_at < utcnow() - LOGIN_LIFETIME:
        raise Refused(
            _("This launch took too long. Open the course again from your learning platform."), "launch too old"
        )
    platform = db.session.get(LtiPlatform, launch.platform_id)
    try:
        key_set = requests.get(platform.key_set_url, timeout=10).json()
        checked = messages.read_id_token(
            id_token,
            key_set=key_set,
            issuer=platform.issuer,
            client_id=platform.client_id,
            nonce=launch.nonce,
            deployments=platform.deployments,
        )
    except (requests.RequestException, ValueError) as error:
        raise Refused(_("We could not check this launch with your learning platform."), str(error)) from None
    except messages.LaunchRefused as refused:
        raise Refused(_("Your learning platform's launch could not be trusted."), str(refused)) from None
    user = _arrive(platform, checked)
    token = secrets.token_urlsafe(32)
    launch.user_id, launch.continue_hash = user.id, _hash(token)
    launch.target = _landing(checked)
    if checked.message_type == messages.DEEP_LINKING_REQUEST:
        settings = checked.claims[messages.DEEP_LINKING]
        launch.deep_linking = {"settings": settings, "deployment_id": checked.deployment_id}
        launch.target = url_for("lti.deep_link", launch_id=launch.id)
    db.session.commit()
    log.info("LTI launch %s from platform %s for user %s", launch.id, platform.id, user.id)
    return token


def _arrive(platform: LtiPlatform, launch: messages.Launch) -> User:
    """The person's account (made on first launch, found by the platform's subject id, never
    by name or email), their role, and their place in the context's cohort. Flushes."""
    claims = launch.claims
    role = Role.FACILITATOR if launch.is_staff else Role.LEARNER
    arrival = external.Arrival(
        kind=IdentityKind.LTI,
        issuer=platform.issuer,
        subject=launch.subject,
        email=messages.text(claims.get("email")) or None,
        email_verified=False,  # an address from a launch is never taken as proof of anything
        name=messages.person_name(claims),
    )
    try:
        user, _new = external.account_for(arrival, role=role, placeholder_email=True)
    except external.ExternalSignInRefused as refused:
        db.session.rollback()
        raise Refused(refused.message) from None
    if role == Role.FACILITATOR and not user.has_role(Role.FACILITATOR):
        user.role = Role.FACILITATOR  # raised to staff by the platform; never lowered, never admin
    outline = content.get_outline()
    if outline is not None and launch.context.get("id"):
        cohort_id = _cohort_for(platform, launch, outline.course.id)
        cohorts.add_member(
            cohorts.get_cohort(cohort_id),
            user.email,
            CohortRole.FACILITATOR if launch.is_staff else CohortRole.LEARNER,
        )
    elif outline is not None and not launch.is_staff:
        learning.enrol(user.id, outline.course.id)
    return user


def _cohort_for(platform: LtiPlatform, launch: messages.Launch, course_id: int) -> int:
    context = launch.context
    found = db.session.scalar(
        sa.select(LtiContext).where(LtiContext.platform_id == platform.id, LtiContext.context_id == str(context["id"]))
    )
    memberships = (launch.claims.get(messages.NRPS) or {}).get("context_memberships_url")
    if found is None:
        title = str(context.get("title") or context.get("label") or "")[:100].strip() or platform.name
        cohort = cohorts.create_cohort(course_id, title, date.today(), None)
        found = LtiContext(
            platform_id=platform.id, context_id=str(context["id"])[:255], title=title, cohort_id=cohort.id
        )
        db.session.add(found)
    if memberships:
        found.memberships_url = memberships[:500]
    grades = launch.claims.get(messages.AGS) or {}
    if grades.get("lineitem") and platform_calls.SCOPE_SCORE in (grades.get("scope") or []):
        found.lineitem_url = str(grades["lineitem"])[:500]
    db.session.flush()
    return found.cohort_id


def _landing(launch: messages.Launch) -> str:
    """Where the link points: a custom `step` ("module/step") or `module` parameter, else the
    target_link_uri if it is on this site, else the course's to-do list."""
    custom = launch.custom
    if custom.get("step") and "/" in str(custom["step"]):
        module_slug, step_slug = str(custom["step"]).split("/", 1)
        return url_for("steps.step", module_slug=module_slug, step_slug=step_slug)
    if custom.get("module"):
        return url_for("learning.module", module_slug=str(custom["module"]))
    target = str(launch.claims.get(messages.TARGET) or "")
    base = current_app.config["LMS_BASE_URL"]
    if target.startswith(base + "/"):
        path = safe_next(target[len(base) :], None)
        if path and path != "/" and not path.startswith("/lti/"):  # the home page names no place
            return path
    return url_for("learning.todo")


def continue_launch(token: str) -> tuple[User, str]:
    """The person a launch's one-time link signs in, and where they land. Commits."""
    launch = db.session.scalar(
        sa.select(LtiLaunch).where(LtiLaunch.continue_hash == _hash(token or "")).with_for_update()
    )
    if launch is None or launch.continued_at is not None or launch.launched_at < utcnow() - CONTINUE_LIFETIME:
        raise Refused(
            _("This link has been used already or has expired. Open the course again from your learning platform."),
            "continue link used or expired",
        )
    launch.continued_at = utcnow()
    user = db.session.get(User, launch.user_id)
    db.session.commit()
    if user is None or not user.active:
        raise Refused(_("This account has been closed. Ask an administrator if you need it back."), "account closed")
    return user, launch.target or url_for("learning.todo")


def forget_old_launches(now=None) -> int:
    """Delete launches older than a day (run hourly): they can no longer be used."""
    since = (now or utcnow()) - timedelta(days=1)
    gone = db.session.execute(sa.delete(LtiLaunch).where(LtiLaunch.created_at < since)).rowcount
    db.session.commit()
    return gone


mail.every_hour("lti.forget_old_launches", forget_old_launches)
