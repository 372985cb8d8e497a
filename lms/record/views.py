from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, g, render_template
from flask_login import current_user

from lms.learning.access import enrolled_only
from lms.record import service
from lms.reflection.service import SECTIONS

bp = Blueprint("record", __name__, url_prefix="/record")


def _record():
    return service.learning_record(current_user, g.outline)


@bp.get("/")
@enrolled_only
def page():
    return render_template("record/record.html", record=_record(), sections=SECTIONS)


@bp.get("/learning-record.md")
@enrolled_only
def markdown():
    return Response(service.as_markdown(_record()), mimetype="text/markdown; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="learning-record.md"'})


@bp.get("/learning-record.pdf")
@enrolled_only
def pdf():
    html = render_template("record/document.html", record=_record(), sections=SECTIONS)
    stylesheet = Path(current_app.static_folder, "css", "print.css").read_text(encoding="utf-8")
    return Response(service.as_pdf(html, stylesheet), mimetype="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="learning-record.pdf"'})
