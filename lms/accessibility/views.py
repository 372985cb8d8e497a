"""The statements every page links to: accessibility (which UK public sector bodies must
publish), how we use people's information, and the cookies the platform sets."""

from __future__ import annotations

import json
from functools import cache

from flask import Blueprint, current_app, render_template

from lms.accessibility import notices
from lms.config import ROOT

bp = Blueprint("accessibility", __name__)
CHECKS = ROOT / "accessibility" / "checks.json"


@cache
def last_checks() -> dict | None:
    """The pages axe-core passed in the last `make accessibility` run (committed with the code)."""
    return json.loads(CHECKS.read_text(encoding="utf-8")) if CHECKS.exists() else None


@bp.get("/accessibility")
def statement():
    return render_template(
        "accessibility/statement.html", checks=last_checks(), contact=current_app.config["LMS_CONTACT_EMAIL"]
    )


@bp.get("/privacy")
def privacy():
    config = current_app.config
    return render_template(
        "accessibility/privacy.html",
        contact=notices.contact(config),
        basis=notices.lawful_basis(config),
        sign_ins=notices.sign_ins(config),
    )


@bp.get("/cookies")
def cookies():
    config = current_app.config
    return render_template(
        "accessibility/cookies.html", cookies=notices.cookies(config), contact=notices.contact(config)
    )
