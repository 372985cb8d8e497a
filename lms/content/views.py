"""What the course shows apart from its steps: the glossary page and the pictures steps show."""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, render_template

from lms.content import service

bp = Blueprint("content", __name__)
YEAR = 365 * 24 * 3600
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# An SVG is opened on its own if someone follows its address: it may draw, never run anything.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@bp.get(service.GLOSSARY_PATH)
def glossary():
    """The glossary: every term the course defines, with an anchor that steps link to."""
    glossary = service.get_glossary()
    if not glossary:
        abort(404)
    return render_template("content/glossary.html", glossary=glossary)


@bp.get("/images/<sha256>/<name>")
def image(sha256: str, name: str):
    """A picture of the course, by its content hash: the same address always means the same bytes."""
    found = service.find_image(sha256, name) if SHA256.match(sha256) else None
    if found is None:
        abort(404)
    data, media_type = found
    response = Response(data, mimetype=media_type)
    response.cache_control.public = True
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    if media_type == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_POLICY
    return response
