"""What a person sent after their sign-in ended: kept, and put back in its box after they
sign in again.

A sign-in can end while a page is open (a password changed or "sign out" chosen in another
tab or on another device, an account paused). A form sent from that page then reaches a
route that needs a sign-in. Flask-Login calls `signed_out` instead of its own redirect:

- a view that declares a box (`@keeps_when_signed_out(Box(...))`) has the box's fields kept
  in one short-lived row (`UnsentForm`), for the person who was signed in and for this browser
  (a random cookie), and the person goes to sign in with `next` set to the page the box is on
  (a GET page, never the POST-only address); there, `put_back` fills the form again and says
  what happened. Nothing is saved or posted on their behalf.
- a request made by a script (autosave) gets 401 and a JSON message, never the sign-in page.
- any other form goes to sign in with `next` the page it was sent from.

Only the fields a box names are kept (never a password or a token), each submission up to
`MOST_CHARACTERS`, `MOST_PER_PERSON` submissions per person, for `KEPT_FOR`. The person is
known from a value the sign-in leaves in the signed session (`WRITER`), which signing out
keeps, so a page left open in another tab still finds its writer; a browser that never
signed in has no writer, and gets its text back on a page to copy instead. A text is put
back only for the person who wrote it, only in the browser it was sent from, and only once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, user_loaded_from_cookie, user_logged_in
from werkzeug.datastructures import MultiDict

from lms.db import UTCDateTime, utcnow
from lms.extensions import db

KEPT_FOR = timedelta(hours=2)  # long enough to sign in again (or reset a password), no longer
MOST_PER_PERSON = 5
MOST_CHARACTERS = 100_000  # all the fields of one submission together
COOKIE = "lms_unsent"
WRITER = "_lms_writer"  # in the signed session: the id of the person who signed in here


class UnsentForm(db.Model):
    """A form sent after its writer's sign-in had ended, kept until they sign in again."""

    __tablename__ = "unsent_forms"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    browser: so.Mapped[str] = so.mapped_column(sa.String(64), index=True)  # sha256 of the cookie's value
    page: so.Mapped[str] = so.mapped_column(sa.String(500))  # the path of the page the box is on
    box: so.Mapped[str] = so.mapped_column(sa.String(40))
    fields: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime(), default=utcnow, index=True)


@dataclass(frozen=True)
class Box:
    """A box whose text is kept when the sign-in has ended.

    `fields` are (form field name, label) pairs: only these are kept. `page` gives the path of
    the GET page the box is on from the view's arguments (by default the address the form was
    sent to, for views that show their form on GET). `json`: the view answers scripts.
    """

    name: str
    noun: str  # "reflection": "your reflection was not saved"
    verb: str  # "save": "check it, then save it"
    done: str  # "saved"
    fields: tuple[tuple[str, str], ...]
    page: Callable[..., str] | None = None
    anchor: str = ""
    json: bool = False

    @property
    def not_done(self) -> str:
        """ "your reflection was not saved", in the request's language (see BOX_WORDS)."""
        noun = _(str(self.noun))
        if self.done == "saved":
            return _("your %(noun)s was not saved", noun=noun)
        if self.done == "posted":
            return _("your %(noun)s was not posted", noun=noun)
        return f"your {self.noun} was not {self.done}"

    @property
    def check_then(self) -> str:
        """What to do with the text put back: "Check it, then save it."."""
        if self.verb == "save":
            return _("Check it, then save it.")
        if self.verb == "post":
            return _("Check it, then post it.")
        return f"Check it, then {self.verb} it."


# The nouns the features' boxes give (`Box.noun`), marked here for translation: a box is
# declared in English, and says its words in the request's language through these. A new
# box's noun is added here; its `done` and `verb` are "saved"/"posted" and "save"/"post".
BOX_WORDS = (
    _l("reflection"),
    _l("comment"),
    _l("reply"),
    _l("change to your comment"),
    _l("change to this step"),
    _l("new step"),
)


def keeps_when_signed_out(box: Box):
    """Declare the box a view's form fills, so its text is kept when the sign-in has ended."""

    def mark(view):
        view.unsent_box = box
        return view

    return mark


def _browser_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _same_site() -> bool:
    """The browser says the form came from this site (or says nothing, as old ones do)."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    return not origin or urlsplit(origin).netloc == request.host


def _wants_json(box: Box | None) -> bool:
    if box is not None and box.json:
        return True
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _page_to_return_to(box: Box | None) -> str | None:
    """Where to go after signing in: this page if it is one (GET), else the box's page, else
    this address if it shows a page too, else the page the form was on. Never an address that
    only takes forms (405 on GET)."""
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    if box is not None:
        page = box.page(**(request.view_args or {})) if box.page else request.path
        return page + (f"#{box.anchor}" if box.anchor else "")
    if request.url_rule is not None and "GET" in request.url_rule.methods:
        return request.path
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path:
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return None


def _keep(box: Box, fields: dict[str, str]) -> str | None:
    """Keep the fields for the writer in this browser; the browser's key, or None if they
    cannot be kept (no known writer, a form from elsewhere, or too long)."""
    writer = session.get(WRITER)
    page = (_page_to_return_to(box) or "").split("#")[0]
    too_long = sum(map(len, fields.values())) > MOST_CHARACTERS or len(page) > 500
    if not isinstance(writer, int) or not _same_site() or too_long:
        return None
    key = request.cookies.get(COOKIE, "")
    if len(key) != 43:
        key = secrets.token_urlsafe(32)
    browser, now = _browser_hash(key), utcnow()
    mine = (UnsentForm.browser == browser, UnsentForm.page == page, UnsentForm.box == box.name)
    db.session.execute(sa.delete(UnsentForm).where(sa.or_(UnsentForm.created_at < now - KEPT_FOR, sa.and_(*mine))))
    older = (
        sa.select(UnsentForm.id)
        .where(UnsentForm.user_id == writer)
        .order_by(UnsentForm.created_at.desc(), UnsentForm.id.desc())
        .offset(MOST_PER_PERSON)
    )
    try:
        db.session.add(UnsentForm(user_id=writer, browser=browser, page=page, box=box.name, fields=fields))
        db.session.flush()
        db.session.execute(sa.delete(UnsentForm).where(UnsentForm.id.in_(older.scalar_subquery())))
        db.session.commit()
    except sa.exc.IntegrityError:  # the writer's account is gone (a restored database): keep nothing
        db.session.rollback()
        return None
    return key


def signed_out():
    """Flask-Login's answer to a request that needs a sign-in it does not have (see above)."""
    view = current_app.view_functions.get(request.endpoint)
    box: Box | None = getattr(view, "unsent_box", None)
    writing = request.method not in ("GET", "HEAD", "OPTIONS")
    key = fields = None
    if writing and box is not None:
        names = [name for name, _ in box.fields]
        fields = {name: request.form.get(name, "").replace("\x00", "") for name in names if name in request.form}
        if any(value.strip() for value in fields.values()):
            key = _keep(box, fields)
        else:
            fields = None
    if _wants_json(box):
        if fields and key is None:
            message = _("Not saved: your sign-in has ended. Copy your text, then sign in again.")
        else:
            message = _("Not saved: your sign-in has ended. Sign in again; your text is kept.")
        response = jsonify(error=message, signed_out=True)
        response.status_code = 401
    elif fields and key is None:  # nothing to keep it against: give it back on a page to copy
        response = current_app.make_response(
            (
                render_template(
                    "unsent/not_kept.html",
                    box=box,
                    fields=[
                        (name, _(str(label)), fields[name]) for name, label in box.fields if label and fields.get(name)
                    ],
                    next_url=_page_to_return_to(box),
                ),
                401,
            )
        )
    else:
        if fields:
            flash(
                _(
                    "Your sign-in had ended, so %(not_done)s. We have kept it: sign in and it will be back in its box.",
                    not_done=box.not_done,
                ),
                "info",
            )
        else:
            flash(current_app.login_manager.login_message, current_app.login_manager.login_message_category)
        back = _page_to_return_to(box)  # with its #anchor, which Flask-Login's login_url drops
        response = redirect(
            url_for(current_app.login_manager.login_view) + (f"?{urlencode({'next': back})}" if back else "")
        )
    if key is not None:
        response.set_cookie(
            COOKIE,
            key,
            max_age=int(KEPT_FOR.total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response


def take(box: str, page: str | None = None) -> dict[str, str] | None:
    """The signed-in person's text kept for this box on this page in this browser, once."""
    key = request.cookies.get(COOKIE)
    if not key or not current_user.is_authenticated:
        return None
    mine = (
        UnsentForm.browser == _browser_hash(key),
        UnsentForm.user_id == current_user.id,
        UnsentForm.page == (page or request.path),
        UnsentForm.box == box,
    )
    found = db.session.scalars(
        sa.select(UnsentForm).where(*mine).order_by(UnsentForm.created_at.desc(), UnsentForm.id.desc())
    ).all()
    if not found:
        return None
    db.session.execute(sa.delete(UnsentForm).where(*mine))
    db.session.commit()
    newest = found[0]
    return newest.fields if newest.created_at >= utcnow() - KEPT_FOR else None


def put_back(form, box: Box, page: str | None = None) -> bool:
    """On a page being shown, fill `form` with the person's kept text for `box`, and say so."""
    if request.method != "GET":
        return False
    fields = take(box.name, page)
    if not fields:
        return False
    form.process(formdata=MultiDict({name: value for name, value in fields.items() if name in dict(box.fields)}))
    flash(
        _("Your sign-in had ended, so %(not_done)s. We kept it: it is back in its box below.", not_done=box.not_done)
        + " "
        + box.check_then,
        "info",
    )
    return True


def _remember_writer(app, user, **extra) -> None:
    session[WRITER] = user.id


def clear_session() -> None:
    """Empty the session at sign-out, but remember who wrote here (see above)."""
    writer = session.get(WRITER)
    session.clear()
    if writer is not None:
        session[WRITER] = writer


def init_app(app) -> None:
    app.login_manager.unauthorized_handler(signed_out)
    user_logged_in.connect(_remember_writer)
    user_loaded_from_cookie.connect(_remember_writer)
