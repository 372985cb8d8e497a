from __future__ import annotations

from flask import Blueprint, render_template, request

from lms.accounts.access import role_required
from lms.accounts.models import Role
from lms.audit import service
from lms.inputs import query_int

bp = Blueprint("audit", __name__, url_prefix="/admin")


@bp.get("/audit")
@role_required(Role.ADMIN)
def log():
    """Every admin and moderation action, newest first, filtered by action or person."""
    action = request.args.get("action") or None
    actor = request.args.get("actor", "").strip() or None
    page = service.entries(action, actor, query_int("before"))
    return render_template("audit/log.html", page=page, actions=service.actions(), action=action, actor=actor or "")
