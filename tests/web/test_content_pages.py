"""The pages the content format adds: stored images, the glossary, and what a step shows of
them (figures, glossary links, see also, a video's transcript)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.content.models import ContentAsset
from lms.extensions import db

WELCOME = "/steps/first-steps/welcome"
VIDEO = "/steps/first-steps/watch-this"


def image_address() -> str:
    sha, name = db.session.execute(sa.select(ContentAsset.sha256, ContentAsset.name)).one()
    return f"/images/{sha}/{name}"


def test_an_image_is_served_by_its_hash_cached_for_good_and_unable_to_run_script(client, course):
    response = client.get(image_address())
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<svg") and b"<title" in response.data
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy
    assert "Set-Cookie" not in response.headers


def test_unknown_images_are_not_found(client, course):
    address = image_address()
    sha, name = address.split("/")[2:]
    for wrong in (
        f"/images/{'0' * 64}/{name}",  # no such hash
        f"/images/{sha}/other.svg",  # the hash of another name
        f"/images/{sha[:10]}/{name}",  # not a hash
        f"/images/{sha.upper()}/{name}",
    ):
        response = client.get(wrong)
        assert response.status_code == 404 and "Page not found" in response.text, wrong


def test_an_image_of_an_unpublished_module_is_not_served(client, course):
    from lms.content.models import Module

    address = image_address()
    db.session.execute(sa.update(Module).values(published=False))
    db.session.commit()
    assert client.get(address).status_code == 404


def test_the_glossary_page_lists_each_term_with_an_anchor(client, course):
    page = client.get("/glossary")
    assert page.status_code == 200
    assert "<h1>Glossary</h1>" in page.text and "Words the course uses in a particular sense." in page.text
    assert re.search(r'<dt id="co-acting-group"[^>]*>Co-acting group</dt>', page.text)
    assert re.search(r'<dt id="reflexivity"[^>]*>Reflexivity</dt>', page.text)
    assert "Noticing how your own position" in page.text and "Also written: reflexive" in page.text
    assert "lms-glossary-link" not in page.text  # the glossary's own text is not linked


def test_the_course_page_links_to_the_glossary(client, course):
    assert 'href="/glossary"' in client.get("/").text


def test_no_glossary_no_page(client, content_copy):
    from lms.content import service

    (content_copy / "glossary.md").unlink()
    service.import_content(content_copy)
    assert client.get("/glossary").status_code == 404
    assert 'href="/glossary"' not in client.get("/").text


def test_a_step_shows_its_figure_glossary_links_and_see_also(client, enrolled):
    page = client.get(WELCOME).text
    assert re.search(r'<figure><img src="/images/[0-9a-f]{64}/three-steps.svg" alt="Three boxes joined', page)
    assert "<figcaption>How the course goes: read, talk, look back.</figcaption>" in page
    links = re.findall(r'<a class="lms-glossary-link" href="/glossary#([a-z-]+)">([^<]+)</a>', page)
    assert links == [("reflexivity", "Reflexivity")]  # the first use only, not the second
    see_also = page.split('id="see-also-heading"')[1].split("</nav>")[0]
    assert '<a href="/steps/first-steps/talk-about-it">1.3 Talk about it</a>' in see_also
    assert 'href="/glossary">Glossary' in page


def test_a_video_step_shows_its_transcript_in_a_details_after_the_video(client, enrolled):
    page = client.get(VIDEO).text
    video = page.index("Watch the video")
    details = page.index('<details class="nhsuk-details lms-transcript">')
    summary = page.index("<h2>Summary</h2>")
    assert video < details < summary
    transcript = page[details : page.index("</details>", details)]
    assert "Transcript</span></summary>" in transcript and "Speaker one: Welcome to the video." in transcript
    assert "<h2>Transcript</h2>" not in page
    assert re.findall(r'href="/glossary#([a-z-]+)">([^<]+)</a>', page) == [("co-acting-group", "co-acting group")]


def test_steps_without_these_show_none_of_them(client, enrolled):
    page = client.get("/steps/first-steps/talk-about-it").text
    assert "See also" not in page and "lms-transcript" not in page and "<figure" not in page


def test_glossary_links_follow_the_glossary_when_it_changes(client, enrolled, content_copy):
    from lms.content import service

    assert 'href="/glossary#reflexivity"' in client.get(WELCOME).text  # kept by this process now
    path = content_copy / "glossary.md"
    path.write_text(path.read_text().replace("## Reflexivity\nAlso: reflexive\n", "## Habit\n"))
    service.import_content(content_copy)
    page = client.get(WELCOME).text
    assert 'href="/glossary#reflexivity"' not in page and "Reflexivity is a word" in page
