"""Jinja set-up: the NHS.UK frontend macros, and the filters and globals every feature's
templates use. A feature's own globals (a comment list's renderer) stay with the feature."""

from __future__ import annotations

from flask import Flask, current_app, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader
from markupsafe import Markup

from lms.fragments import kept_fragment
from lms.i18n import HTML_LANG, LANGUAGES, date, language, when
from lms.kept import MB
from lms.responses import one_time_key

STEP_TYPES = {
    "article": _l("Article"),
    "video": _l("Video"),
    "discussion": _l("Discussion"),
    "reflection": _l("Reflection"),
    "quiz": _l("Quiz"),
    "test": _l("Test"),
    "self-assessment": _l("Self-assessment"),
}


def hours(value: float) -> str:
    value = float(value)
    if value.is_integer():
        return ngettext("%(num)d hour", "%(num)d hours", int(value))
    return _("%(hours)s hours", hours=format_decimal(value))


def minutes(value: int) -> str:
    if value < 60:
        return _("%(minutes)d min", minutes=value)
    if value % 60 == 0:
        return _("%(hours)d hr", hours=value // 60)
    return _("%(hours)d hr %(minutes)d min", hours=value // 60, minutes=value % 60)


def radio_item(choice, current) -> dict:
    """A WTForms choice as an NHS.UK radios item."""
    words = "html" if isinstance(choice.label, Markup) else "text"  # Markup: a label that carries its own lang
    return {"value": choice.value, words: choice.label, "checked": choice.value == current}


def select_item(choice, current) -> dict:
    """A WTForms choice as an NHS.UK select item."""
    return {"value": choice.value, "text": choice.label, "selected": choice.value == (current or "")}


def this_page(args: dict | None = None) -> str:
    """This page's address with only the query arguments given: those that change what it
    shows, as the page read them. Forms come back to it (`next`), and parts of pages kept by
    the process have it in their keys, so never the raw query string, which can be anything."""
    return url_for(request.endpoint, **(request.view_args or {}), **{k: v for k, v in (args or {}).items() if v})


def site_header(unread: int, waiting: int = 0):
    """The header, kept for each person and page under everything it shows of them: the unread
    notifications and, for staff, the comments waiting for moderation."""
    user = current_user._get_current_object()
    signed_in = user.is_authenticated
    key = (
        request.endpoint,
        signed_in and (user.id, user.display_name, user.role.value, user.is_staff, unread, waiting),
    )
    template = current_app.jinja_env.get_template("_header.html")
    header = kept_fragment(
        "headers",
        key,
        lambda: template.render(
            current_user=user, request=request, unread_notifications=unread, moderation_waiting=waiting
        ),
        most=MB,
    )
    return Markup(header.replace(SWITCH_SLOT, language_switch()))


SWITCH_SLOT = "<lms:language-switch>"


def language_switch() -> Markup:
    """The header's link to this page in the other language (lms.i18n.switch): filled in on
    every page, as the header is kept for all of an endpoint's pages."""
    other = "en" if language() == "cy" else "cy"
    here = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return Markup(
        '<li class="nhsuk-header__account-item lms-language-switch">'
        '<a class="nhsuk-header__account-link" href="{}" lang="{}" hreflang="{}">{}</a></li>'
    ).format(url_for("i18n.switch", code=other, next=here), HTML_LANG[other], HTML_LANG[other], LANGUAGES[other])


# The words the scripts in static/js show (button labels, status messages read out by
# screen readers), in the page's language: base.html writes them into one
# <script type="application/json" id="lms-words"> block, which static/js/words.js reads
# (each script keeps its English as the fallback). "%(time)s" and the like are filled in there.
JS_WORDS = {
    "copied": _l("Link copied. Paste it into an email or message."),
    "copy-blocked": _l("Copying was blocked: the link is selected, so copy it with your keyboard."),
    "comment-kept": _l("We kept the comment you had not sent yet."),
    "reflection-signed-out": _l(
        "Not saved: your sign-in has ended. Your text is kept: select Save reflection to sign in again and carry on."
    ),
    "reflection-not-saved": _l("Not saved just now. Your text is still here: select Save reflection to save it."),
    "reflection-offline": _l(
        "Not saved: the connection was lost. Your text is still here; saving will try again as you type."
    ),
    "reflection-saved": _l("Draft saved at %(time)s."),
}


def js_words() -> dict[str, str]:
    return {key: str(text) for key, text in JS_WORDS.items()}


# The NHS.UK character count's live messages (its JavaScript says them as the person types):
# its own are English, so other languages give theirs as data-i18n attributes, one for each of
# the plural forms the browser's Intl.PluralRules may choose, with the number written %{count}.
_PLURAL_EXAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 6, "other": 4}


def character_count_words() -> Markup:
    if language() == "en":
        return Markup("")  # the frontend's own words

    def forms(message) -> dict[str, str]:
        return {rule: message(n) for rule, n in _PLURAL_EXAMPLES.items()}

    count = "%{count}"
    words = {
        "characters-under-limit": forms(
            lambda n: ngettext(
                "You have %(count)s character remaining", "You have %(count)s characters remaining", n, count=count
            )
        ),
        "characters-at-limit": _("You have 0 characters remaining"),
        "characters-over-limit": forms(
            lambda n: ngettext(
                "You have %(count)s character too many", "You have %(count)s characters too many", n, count=count
            )
        ),
    }
    attributes = Markup("")
    for key, text in words.items():
        for rule, message in text.items() if isinstance(text, dict) else ((None, text),):
            name = f"data-i18n.{key}" + (f".{rule}" if rule else "")
            attributes += Markup(' {}="{}"').format(Markup(name), message)
    return attributes


def init_app(app: Flask) -> None:
    # The NHS.UK macros need ChainableUndefined to read optional nested parameters.
    app.jinja_env.undefined = ChainableUndefined
    # Their files end in .jinja, which Flask would not autoescape: escape every template but
    # the plain-text parts of mail, where "&amp;" would be printed as it is.
    app.jinja_env.autoescape = lambda name: not (name or "").endswith(".txt")
    app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, PackageLoader("nhsuk_frontend_jinja")])
    app.jinja_env.filters.update(
        hours=hours,
        minutes=minutes,
        date=date,
        when=when,
        radio_item=radio_item,
        select_item=select_item,
        step_type=lambda t: str(STEP_TYPES.get(t, t.title())),
    )
    # submission_key: a form's key, new on every page, so a form sent twice acts once.
    app.jinja_env.globals.update(
        organisation=app.config["LMS_ORGANISATION_NAME"],
        submission_key=one_time_key,
        site_header=site_header,
        js_words=js_words,
        character_count_words=character_count_words,
        this_page=this_page,
    )
