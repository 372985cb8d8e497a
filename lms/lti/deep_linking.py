"""Deep linking: an instructor, launched to choose content, picks a module or a step, and
the platform gets a signed LtiDeepLinkingResponse naming it (a link whose custom parameter
lands people there)."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _

from lms.accounts.models import User
from lms.content import service as content
from lms.extensions import db
from lms.lti import keys, messages
from lms.lti.models import LtiLaunch, LtiPlatform
from lms.lti.service import Refused
from lms.mail.links import external_url


def _deep_link_launch(user: User, launch_id: int) -> LtiLaunch:
    launch = db.session.get(LtiLaunch, launch_id)
    if launch is None or launch.user_id != user.id or not launch.deep_linking:
        raise Refused(_("There is no deep-linking request of yours here."))
    return launch


def deep_link_choices(user: User, launch_id: int) -> list[tuple[str, str]]:
    """What an instructor may link to: each module, and each step under it ("value", "label")."""
    _deep_link_launch(user, launch_id)
    outline = content.get_outline()
    choices = []
    for module in outline.modules if outline else ():
        choices.append(
            (f"module:{module.slug}", _("Module %(number)s: %(title)s", number=module.number, title=module.title))
        )
        for step in module.steps:
            choices.append(
                (
                    f"step:{module.slug}/{step.slug}",
                    _("Step %(number)s: %(title)s", number=step.number, title=step.title),
                )
            )
    return choices


def deep_link_answer(user: User, launch_id: int, chosen: str) -> tuple[str, str]:
    """The signed LtiDeepLinkingResponse naming the chosen module or step, and where to post
    it. The request can be answered once. Commits."""
    launch = _deep_link_launch(user, launch_id)
    labels = dict(deep_link_choices(user, launch_id))
    if chosen not in labels:
        raise Refused(_("Choose a module or a step"))
    kind, _sep, slug = chosen.partition(":")
    platform = db.session.get(LtiPlatform, launch.platform_id)
    settings = launch.deep_linking["settings"]
    item = {
        "type": "ltiResourceLink",
        "title": labels[chosen],
        "url": external_url("lti.launch"),
        "custom": {kind: slug},
    }
    claims = {
        "iss": platform.client_id,
        "aud": platform.issuer,
        "nonce": secrets.token_urlsafe(16),
        messages.MESSAGE_TYPE: "LtiDeepLinkingResponse",
        messages.VERSION: "1.3.0",
        messages.DEPLOYMENT: launch.deep_linking["deployment_id"],
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items": [item],
    }
    if settings.get("data") is not None:
        claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = settings["data"]
    launch.deep_linking = None  # answered
    db.session.commit()
    return settings["deep_link_return_url"], keys.sign(claims)
