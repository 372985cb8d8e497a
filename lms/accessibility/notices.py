"""What the privacy notice and the cookies page say that depends on the settings: whom to
contact, the lawful basis the organisation chose, and how long sign-ins and cookies last.

Pure: reads a config dict, touches no request and no database, so the pages stay true to
the settings they run with (and the tests can hold them to the cookies really set).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login.config import COOKIE_NAME as FLASK_LOGIN_COOKIE

from lms.accounts.sign_ins import WORKING_DAY
from lms.i18n import COOKIE as LANGUAGE_COOKIE
from lms.i18n import COOKIE_DAYS as LANGUAGE_COOKIE_DAYS
from lms.unsent import COOKIE as UNSENT_COOKIE
from lms.unsent import KEPT_FOR as UNSENT_KEPT_FOR

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Contact:
    text: str  # as shown: an address, a web address or words
    href: str | None = None  # mailto: or the web address; None for words
    facilitator: bool = False  # nothing is set: people ask their course facilitator


def contact(config) -> Contact:
    """Whom to ask about personal data: LMS_PRIVACY_CONTACT, else LMS_CONTACT_EMAIL, else the facilitator."""
    for value in (config.get("LMS_PRIVACY_CONTACT"), config.get("LMS_CONTACT_EMAIL")):
        value = (value or "").strip()
        if EMAIL.fullmatch(value):
            return Contact(value, f"mailto:{value}")
        if value.startswith(("https://", "http://")):
            return Contact(value, value)
        if value:
            return Contact(value)
    return Contact("your course facilitator", facilitator=True)


@dataclass(frozen=True)
class LawfulBasis:
    article: str  # where UK GDPR sets it out (lazily translated, as is the reason)
    reason: str  # ends a sentence beginning "We use your information because"


LAWFUL_BASES = {
    "public-task": LawfulBasis(
        _l("Article 6(1)(e)"),
        _l(
            "it is needed for a task we carry out in the public interest: training and developing health and care staff"
        ),
    ),
    "legitimate-interests": LawfulBasis(
        _l("Article 6(1)(f)"),
        _l(
            "it is in our legitimate interests to run this course and support the people taking it, "
            "and we have checked that this does not override your rights"
        ),
    ),
    "contract": LawfulBasis(_l("Article 6(1)(b)"), _l("we need it to provide the course you signed up for")),
}


def lawful_basis(config) -> LawfulBasis | None:
    """The basis the organisation chose (LMS_PRIVACY_LAWFUL_BASIS), or None until it has."""
    return LAWFUL_BASES.get(config.get("LMS_PRIVACY_LAWFUL_BASIS") or "")


def duration(span: timedelta | float | int) -> str:
    """A length of time as a person says it: "30 days", "12 hours", "90 minutes"."""
    seconds = round(span.total_seconds() if isinstance(span, timedelta) else span)
    if seconds >= 86400 and seconds % 86400 == 0:
        return ngettext("%(num)d day", "%(num)d days", seconds // 86400)
    if seconds >= 3600 and seconds % 3600 == 0:
        return ngettext("%(num)d hour", "%(num)d hours", seconds // 3600)
    if seconds >= 60 and seconds % 60 == 0:
        return ngettext("%(num)d minute", "%(num)d minutes", seconds // 60)
    return ngettext("%(num)d second", "%(num)d seconds", seconds)


@dataclass(frozen=True)
class SignIns:
    idle: str  # a sign-in ends after this long without use
    remembered: str  # at most, with "keep me signed in"
    otherwise: str  # at most, without it


def sign_ins(config) -> SignIns:
    return SignIns(
        idle=duration(timedelta(hours=config["LMS_SESSION_IDLE_HOURS"])),
        remembered=duration(timedelta(days=config["LMS_SESSION_MAX_DAYS"])),
        otherwise=duration(WORKING_DAY),
    )


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lifetime: str


def cookies(config) -> list[Cookie]:
    """Every cookie the platform sets, by the names these settings give them, in this request's language."""
    limits = sign_ins(config)
    remember_for = duration(config.get("REMEMBER_COOKIE_DURATION", timedelta(days=365)))
    return [
        Cookie(
            config.get("SESSION_COOKIE_NAME") or "session",
            _(
                "Keeps you signed in as you move from page to page, stops other websites sending forms "
                "in your name, and carries short messages (such as \u201cYour bio has been saved\u201d) "
                "to the next page. Set when you open a page with a form, or sign in."
            ),
            _(
                "Until you close your browser. The sign-in it holds ends sooner if you do not use "
                "the platform for %(idle)s.",
                idle=limits.idle,
            ),
        ),
        Cookie(
            config.get("REMEMBER_COOKIE_NAME") or FLASK_LOGIN_COOKIE,
            _(
                "Set only if you tick \u201cKeep me signed in\u201d. It signs you in again when you come back "
                "after closing your browser. It stops working when you sign out."
            ),
            _(
                "%(lasts)s. The sign-in it holds ends after %(idle)s without use, "
                "and %(most)s after you signed in at most.",
                lasts=remember_for,
                idle=limits.idle,
                most=limits.remembered,
            ),
        ),
        Cookie(
            UNSENT_COOKIE,
            _(
                "Set only if you send a form (a reflection or a comment, say) after your sign-in has "
                "ended. It lets us give the text you typed back to you, and nobody else, once you "
                "sign in again."
            ),
            _("%(lasts)s, or until you sign in again.", lasts=duration(UNSENT_KEPT_FOR)),
        ),
        Cookie(
            "lms_lti_state",  # lms.lti.views.STATE_COOKIE (tests/web/test_lti.py holds them equal)
            _(
                "Set only when you open the course from your organisation's learning platform. It checks "
                "that the platform's answer comes back to the browser that asked for it."
            ),
            _("10 minutes, or until the course opens."),
        ),
        Cookie(
            LANGUAGE_COOKIE,
            _(
                "Set only if you choose English or Cymraeg (Welsh) at the top of a page. It holds the "
                "language you chose (\u201cen\u201d or \u201ccy\u201d), so every page is shown in it. "
                "It is a functional cookie: the platform needs it to remember your choice."
            ),
            duration(timedelta(days=LANGUAGE_COOKIE_DAYS)),
        ),
    ]
