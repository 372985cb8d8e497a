from __future__ import annotations

import json
from functools import cache

from flask import Blueprint, current_app, render_template

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
