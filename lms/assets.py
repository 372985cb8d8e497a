"""Serve the NHS.UK frontend from node_modules (installed by `npm ci`), without a build step."""
from __future__ import annotations

from flask import Blueprint, Flask

from lms.config import ROOT

NHSUK_DIST = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"

# The stylesheet refers to /assets/images/..., so the assets folder is served there.
nhsuk = Blueprint("nhsuk", __name__, static_folder=str(NHSUK_DIST), static_url_path="/nhsuk")
nhsuk_assets = Blueprint("nhsuk_assets", __name__, static_folder=str(NHSUK_DIST / "assets"),
                         static_url_path="/assets")


def init_app(app: Flask) -> None:
    app.register_blueprint(nhsuk)
    app.register_blueprint(nhsuk_assets)
