"""HTML to PDF with WeasyPrint, fetching nothing from the network: the learning record and
printable copies of steps. Pictures of the course are handed in by the caller (`pictures`),
read from the database rather than over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

BASE_URL = "https://lms.invalid/"  # resolves the page's own addresses ("/images/...") for `pictures`


def html_to_pdf(html: str, stylesheet: str, pictures: Callable[[str], tuple[bytes, str] | None] | None = None) -> bytes:
    """Render the HTML to PDF; `pictures(path)` gives the bytes and media type of an address
    on this site (or None), and nothing else is loaded."""
    from weasyprint import CSS, HTML  # imported here: only downloads need it
    from weasyprint.urls import URLFetcherResponse

    def fetch(url: str, *args, **kwargs):
        found = pictures(urlsplit(url).path) if pictures and url.startswith(BASE_URL) else None
        if found is None:
            raise ValueError(f"a PDF loads nothing from outside ({url})")
        data, media_type = found
        return URLFetcherResponse(url, body=data, headers={"Content-Type": media_type})

    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetch).write_pdf(stylesheets=[CSS(string=stylesheet)])
