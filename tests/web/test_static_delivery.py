"""Static files: versioned URLs cached a year, text compressed; the step page's weight."""

from __future__ import annotations

import gzip
import re

from lms import assets
from tests.factories import make_comment, make_user

WELCOME = "/steps/first-steps/welcome"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_static_urls_carry_a_content_version_and_are_kept_a_year(client):
    page = client.get("/login").text
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page)[1]
    nhsuk = re.search(r'href="(/nhsuk/nhsuk-frontend\.min\.css\?v=[0-9a-f]{12})"', page)[1]
    for url in (css, nhsuk):
        with client.get(url) as response:
            assert response.status_code == 200
            assert response.cache_control.max_age == assets.YEAR and response.cache_control.immutable
            assert response.cache_control.public
    with client.get("/static/css/app.css") as plain:  # unversioned (what CSS and modules refer to): a day
        assert plain.cache_control.max_age == assets.DAY and not plain.cache_control.immutable
    with client.get("/static/css/app.css?v=000000000000") as stale:  # an old version's URL: not a year
        assert stale.cache_control.max_age == assets.DAY


def _static_urls(page: str) -> list[str]:
    return [u.replace("&amp;", "&") for u in re.findall(r'(?:href|src)="(/(?:static|nhsuk)/[^"]+)"', page)]


def test_versioned_static_files_are_never_revalidated_whoever_asks(client, enrolled):
    """Every static file a signed-in page links to is kept a year as it is: no no-cache, and
    no `Vary: Cookie` or cookie of its own, which made browsers fetch each file again (a
    304) whenever the session cookie had changed, as it does at sign-in."""
    page = client.get("/todo")
    urls = _static_urls(page.text)
    assert len(urls) >= 4 and all("?v=" in url for url in urls), urls
    for url in urls:
        with client.get(url, headers=GZIP) as response:
            assert response.status_code == 200, url
            control = response.headers["Cache-Control"]
            assert set(control.split(", ")) == {"public", "max-age=31536000", "immutable"}, (url, control)
            assert "Cookie" not in response.vary, (url, response.headers.get("Vary"))
            assert "Set-Cookie" not in response.headers, url


def test_unversioned_static_files_are_kept_a_day_for_everyone(client, enrolled):
    """What the stylesheet and app.js name without a version (the NHS.UK icons under /assets,
    the NHS.UK module) is kept a day: not fetched on every page, and shared by all."""
    for url in ("/assets/images/nhsuk-icon-arrow-down.svg", "/nhsuk/nhsuk-frontend.min.js", "/static/css/app.css"):
        with client.get(url, headers=GZIP) as response:
            assert response.status_code == 200, url
            assert response.cache_control.public and response.cache_control.max_age == assets.DAY, url
            assert not response.cache_control.no_cache and not response.cache_control.immutable, url
            assert "Cookie" not in response.vary and "Set-Cookie" not in response.headers, url
            assert response.headers.get("ETag"), url  # after a day, a 304 if unchanged


def test_every_address_the_stylesheets_name_is_served(client):
    """The images the NHS.UK and app stylesheets refer to exist where they say (the fonts
    are on assets.nhs.uk, which the Content-Security-Policy does not load)."""
    page = client.get("/login").text
    for url in [u for u in _static_urls(page) if ".css" in u]:
        with client.get(url) as sheet:
            css = sheet.get_data(as_text=True)
        for address in re.findall(r"url\(([^)]+)\)", css):
            address = address.strip("'\"")
            if address.startswith(("https://", "data:")):
                continue
            with client.get(address) as response:
                assert response.status_code == 200, (url, address)
                assert response.cache_control.max_age in (assets.DAY, assets.YEAR), address


def test_pages_keep_their_own_caching(client, enrolled):
    """Pages stay private and revalidated: only static files are kept without asking."""
    page = client.get("/todo")
    assert page.cache_control.private and page.cache_control.no_cache
    assert "Cookie" in page.vary


def test_text_is_gzipped_for_browsers_that_accept_it(client):
    with client.get("/nhsuk/nhsuk-frontend.min.css") as plain:
        original = plain.data
        assert "Content-Encoding" not in plain.headers
    response = client.get("/nhsuk/nhsuk-frontend.min.css", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in response.vary
    assert gzip.decompress(response.data) == original
    assert int(response.headers["Content-Length"]) == len(response.data) < len(original) / 5
    again = client.get("/nhsuk/nhsuk-frontend.min.css", headers=GZIP)  # served from the kept copy
    assert again.data == response.data
    page = client.get("/login", headers=GZIP)
    assert page.headers["Content-Encoding"] == "gzip" and b"<form" in gzip.decompress(page.data)
    with client.get("/assets/images/favicon.ico", headers=GZIP) as image:  # not text: as it is
        assert "Content-Encoding" not in image.headers


def test_a_conditional_request_for_a_compressed_file_gets_304(client):
    first = client.get("/static/css/app.css", headers=GZIP)
    etag = first.headers["ETag"]
    assert etag.startswith("W/")
    with client.get("/static/css/app.css", headers={**GZIP, "If-None-Match": etag}) as again:
        assert again.status_code == 304


def test_the_step_page_with_its_css_and_javascript_weighs_under_100_kb_compressed(client, enrolled, course):
    """The article step with 25 comments and replies, as a browser with an empty cache fetches it."""
    step_id = course.steps[0].id
    people = [make_user() for _ in range(5)]
    for n in range(25):
        top = make_comment(people[n % 5], step_id, f"Comment {n}: " + "a thoughtful point about listening " * 8)
        make_comment(people[(n + 1) % 5], step_id, "A reply that agrees and adds a little", parent=top)
    page = client.get(WELCOME, headers=GZIP)
    assert page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.data).decode()
    assert html.count('class="lms-comment"') >= 20 or html.count("Comment 2") >= 1
    total = len(page.data)
    linked = re.findall(r'(?:href|src)="(/(?:static|nhsuk)/[^"]+\.(?:css|js)[^"]*)"', html)
    modules = ["/nhsuk/nhsuk-frontend.min.js"]  # imported by static/js/app.js
    for url in [*linked, *modules]:
        response = client.get(url.replace("&amp;", "&"), headers=GZIP)
        assert response.status_code == 200, url
        total += len(response.data)
    print(f"step page weight: {len(page.data)} B page, {total} B with CSS and JS, gzipped")
    assert total < 100 * 1024, total


def test_pages_compress_to_a_different_length_each_time_against_breach(client, course):
    """A page carrying a CSRF token gets a random-length gzip header, so its compressed
    length says nothing stable about what it holds; browsers still read the same page."""
    lengths = set()
    for _ in range(8):
        page = client.get("/register", headers=GZIP)
        assert b"<form" in gzip.decompress(page.data)
        lengths.add(len(page.data))
    assert len(lengths) > 1


def test_padded_gzip_reads_back_as_the_original():
    from lms.responses import padded_gzip

    data = b"<p>" + b"compassion " * 500 + b"</p>"
    assert {gzip.decompress(padded_gzip(data)) for _ in range(20)} == {data}
