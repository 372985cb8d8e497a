"""Welsh and English: which language a page is in, the switch between them, and the dates
and times each language writes.

The language is the signed-in person's choice (saved on their account, and used for the mail
they are sent), else the switch's cookie, else the browser's Accept-Language, else English.
Interface words go through Flask-Babel's gettext; the catalogue lives in `translations/`."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, current_app, has_request_context, redirect, request
from flask_babel import Babel, format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from lms.config import ROOT
from lms.extensions import db
from lms.security import safe_next

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
HTML_LANG = {"en": "en-GB", "cy": "cy"}  # what <html lang> says
COOKIE = "lms_language"
COOKIE_DAYS = 365

bp = Blueprint("i18n", __name__)


def language() -> str:
    """This request's language: 'en' or 'cy'."""
    return str(get_locale() or "en")


def choose_language() -> str:
    if not has_request_context():  # a command or a job outside any request: English
        return "en"
    user = current_user
    if user and user.is_authenticated and user.language in LANGUAGES:
        return user.language
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


@bp.get("/language/<code>")
def switch(code: str):
    """The header's switch: a link, so it works without JavaScript. It brings the person back
    to the page they were on; a signed-in person's choice is saved for their emails too."""
    if code not in LANGUAGES:
        code = "en"
    if current_user.is_authenticated and current_user.language != code:
        current_user.language = code
        db.session.commit()
    response = redirect(safe_next(request.args.get("next"), "/"))
    response.set_cookie(
        COOKIE,
        code,
        max_age=COOKIE_DAYS * 86400,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )
    return response


def date(value: datetime | None) -> str:
    """'4 December 2026', '4 Rhagfyr 2026'."""
    return format_date(value, "d MMMM y") if value else ""


def when(moment: datetime | None) -> str:
    """A UTC time as people in the UK read it: '23 November 2026 at 10:30'."""
    if not moment:
        return ""
    return _(
        "%(date)s at %(time)s",
        date=format_datetime(moment, "d MMMM y"),
        time=format_datetime(moment, "HH:mm"),
    )


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(ROOT / "translations"))
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/London")
    Babel(app, locale_selector=choose_language)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(language=language, html_lang=lambda: HTML_LANG[language()], LANGUAGES=LANGUAGES)
