from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice as Choice

from lms.accounts.access import role_required
from lms.accounts.models import Role
from lms.audit import service
from lms.audit.forms import FilterForm
from lms.inputs import query_int

bp = Blueprint("audit", __name__, url_prefix="/admin")
admin_only = role_required(Role.ADMIN)


def _filters() -> tuple[FilterForm, service.Filters]:
    """The filters from the query string; a date that is not one is marked and left out."""
    form = FilterForm(request.args)
    form.validate()
    good = lambda field: None if field.errors else field.data  # noqa: E731
    action = good(form.action) or None
    filters = service.Filters(
        actor=(good(form.actor) or "").strip() or None,
        action=action,
        since=good(form.since),
        until=good(form.until),
    )
    return form, filters


@bp.get("/audit")
@admin_only
def log():
    """Every admin and moderation action, newest first, filtered by person, action and dates."""
    form, filters = _filters()
    form.action.choices = [Choice("", _("All actions")), *(Choice(code, name) for code, name in service.actions())]
    page = service.entries(filters, query_int("before"))
    query = {k: v for k, v in request.args.items() if k != "before" and v}
    return render_template("audit/log.html", form=form, page=page, query=query)


@bp.get("/audit.csv")
@admin_only
def export():
    """The matching entries as a spreadsheet (every page, newest first)."""
    _form, filters = _filters()
    return Response(
        service.export_csv(filters),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
