"""The pages' shell in Welsh: header, footer and skip link, the error pages, the accessibility
statement, privacy notice and cookies page, the form macros' own words, and the words the
scripts show (one JSON block per page); English stays as it was."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from flask_babel import force_locale, refresh
from flask_wtf import FlaskForm

from lms import errors
from lms.config import ROOT
from lms.forms import DateInput
from lms.templating import JS_WORDS
from lms.unsent import Box
from tests.web.discussion_support import TALK

WELSH = {"Accept-Language": "cy"}


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


def words_block(html: str) -> dict[str, str]:
    found = re.search(r'<script type="application/json" id="lms-words">(.*?)</script>', html, re.S)
    return json.loads(found[1])


def test_a_missing_page_is_in_welsh_shell_and_all(client, course):
    page = client.get("/no/such/page", headers=WELSH)
    assert page.status_code == 404
    text = text_of(page.text)
    assert '<html lang="cy">' in page.text
    assert "<title>Heb ddod o hyd i'r dudalen" in unescape(page.text)
    assert "Os gwnaethoch deipio'r cyfeiriad gwe, gwiriwch ei fod yn gywir." in text
    assert "Gallwch fynd i dudalen y cwrs." in text
    assert "Neidio i'r prif gynnwys" in text  # the skip link
    assert "Mewngofnodi" in text and "Creu cyfrif" in text and "Dysgu arweinyddiaeth" in text  # the header
    assert "Datganiad hygyrchedd" in text and "Preifatrwydd" in text and "Cwcis" in text  # the footer
    assert "Page not found" not in text and "Skip to main content" not in text


def test_english_pages_keep_their_words(client, course):
    text = text_of(client.get("/no/such/page").text)
    assert "Page not found" in text and "Skip to main content" in text and "Create an account" in text
    assert "You can go to the course page." in text


def test_a_signed_in_persons_header_and_404_are_in_welsh(client, enrolled):
    client.get("/language/cy?next=/")
    text = text_of(client.get("/todo").text)
    assert "Lee Learner (eich cyfrif)" in text and "Hysbysiadau" in text and "Allgofnodi" in text
    assert "I'w wneud" in text and "Cynnydd" in text and "Pori Rhagor" in text
    missing = client.get("/steps/first-steps/no-such-step")
    assert missing.status_code == 404
    assert "Gallwch fynd i dudalen y cwrs neu i'ch rhestr i'w gwneud." in text_of(missing.text)


def test_the_accessibility_statement_in_welsh(make_app):
    client = make_app(LMS_CONTACT_EMAIL="access@trust.example").test_client()
    page = client.get("/accessibility", headers=WELSH).text
    text = text_of(page)
    assert "<h1>Datganiad hygyrchedd</h1>" in page
    assert "Canllawiau Hygyrchedd Cynnwys y We (WCAG) fersiwn 2.2 ar lefel AA" in text
    assert "chwyddo hyd at 400% heb i'r testun lifo oddi ar y sgrin" in text
    assert 'anfonwch e-bost at <a href="mailto:access@trust.example">access@trust.example</a>' in page
    assert "Y weithdrefn orfodi" in text and "Accessibility statement" not in text
    english = text_of(client.get("/accessibility").text)
    assert "zoom in up to 400% without the text spilling off the screen" in english


def test_the_privacy_notice_and_cookies_page_in_welsh(make_app):
    client = make_app(LMS_PRIVACY_LAWFUL_BASIS="public-task", LMS_SESSION_IDLE_HOURS=8.0).test_client()
    notice = text_of(client.get("/privacy", headers=WELSH).text)
    assert "Hysbysiad preifatrwydd" in notice and "Rydym yn dileu:" in notice
    assert "oherwydd bod ei hangen ar gyfer tasg rydym yn ei chyflawni er budd y cyhoedd" in notice
    assert "(Erthygl 6(1)(e) o GDPR y DU)" in notice
    assert "Mae mewngofnodi yn dod i ben ar ôl 8 awr heb ei ddefnyddio" in notice
    assert "gofynnwch i hwylusydd eich cwrs" in notice  # whom to ask, as a Welsh clause
    cookies = text_of(client.get("/cookies", headers=WELSH).text)
    assert "Y cwcis rydym yn eu gosod" in cookies and "Nes i chi gau eich porwr" in cookies
    assert "lms_language" in cookies and "Cwci swyddogaethol yw hwn" in cookies


def test_the_scripts_words_are_in_the_pages_language(client, course):
    english, welsh = (words_block(client.get("/", headers=h).text) for h in ({}, WELSH))
    assert english.keys() == welsh.keys() == JS_WORDS.keys()
    assert english["copied"] == "Link copied. Paste it into an email or message."
    assert welsh["copied"] == "Wedi copïo'r ddolen. Gludwch hi mewn e-bost neu neges."
    assert welsh["reflection-saved"] == "Drafft wedi'i gadw am %(time)s."
    assert all(welsh[key] != english[key] for key in english)
    # A data block, never run: the Content-Security-Policy allows no inline script to run anyway.
    assert "script-src 'self'" in client.get("/").headers["Content-Security-Policy"]


def test_each_scripts_english_fallback_is_the_catalogues_english():
    """static/js/*.js fall back to their own English when the block is missing: the same words."""
    asked = {}
    for script in Path(ROOT / "static" / "js").glob("*.js"):
        for found in re.finditer(r"word\(\s*['\"]([\w-]+)['\"],\s*(['\"])(.*?)\2", script.read_text()):
            asked[found[1]] = found[3]
    assert asked == {key: str(text) for key, text in JS_WORDS.items()}


def test_the_character_counts_live_messages_are_given_in_welsh(client, enrolled):
    english = client.get(TALK).text
    assert "data-i18n." not in english and "You can enter up to 5000 characters" in english
    client.get("/language/cy?next=/")
    welsh = unescape(client.get(TALK).text)
    assert "Gallwch roi hyd at 5000 nod" in welsh
    for rule in ("zero", "one", "two", "few", "many", "other"):
        assert f'data-i18n.characters-under-limit.{rule}="Mae gennych %{{count}} nod ar ôl"' in welsh
        assert f'data-i18n.characters-over-limit.{rule}="Mae gennych %{{count}} nod yn ormod"' in welsh
    assert 'data-i18n.characters-at-limit="Mae gennych 0 nod ar ôl"' in welsh


def test_the_plain_last_resort_page_speaks_the_requests_language(app):
    with app.test_request_context("/", headers=WELSH):
        assert errors._plain(503).startswith('<!DOCTYPE html><html lang="cy">')
        assert "nid yw&#39;r gwasanaeth ar gael" in errors._plain(503)
        refresh()  # the language is kept for the app context, which both requests share here
    with app.test_request_context("/"):
        assert "Sorry, the service is unavailable" in errors._plain(503) and 'lang="en-GB"' in errors._plain(503)
    assert "Sorry, there is a problem with the service" in errors._plain(500)  # outside any request


def test_shared_form_words_and_signed_out_boxes_in_welsh(app):
    class Dates(FlaskForm):
        starts_on = DateInput(called="Start date")

    box = Box("reflection", noun="reflection", verb="save", done="saved", fields=(("body", "Your reflection"),))
    with app.test_request_context("/"), force_locale("cy"):
        field = Dates(meta={"csrf": False}).starts_on
        field.parts = {"day": "9", "month": "", "year": ""}
        with pytest.raises(ValueError, match="^Start date: rhaid cynnwys mis a blwyddyn$"):
            field._parse()
        assert box.not_done == "ni chafodd eich myfyrdod ei gadw" and box.check_then == "Gwiriwch ef, yna cadwch ef."
    with app.test_request_context("/"):
        assert box.not_done == "your reflection was not saved" and box.check_then == "Check it, then save it."
