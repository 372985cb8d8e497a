"""Links that leave the site in mail: always built on LMS_BASE_URL, never on the request's
Host header (which a visitor controls), and buildable outside a request (the delivery loop)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of endpoint on the site's public address."""
    base = urlsplit(current_app.config["LMS_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)
