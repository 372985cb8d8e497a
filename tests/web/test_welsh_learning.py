"""The course, module, step and to-do pages, and a facilitator's CSV, in Welsh: the interface's
words are Welsh (the course's own words are another matter) and none of their English is left."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole, Pace
from lms.extensions import db
from lms.learning import completion
from lms.learning.pacing import long_date, uk_today
from tests.factories import make_user
from tests.web.discussion_support import text_of

WELSH = {"Accept-Language": "cy"}
WELCOME = "/steps/first-steps/welcome"
CATALOGUE = Path(__file__).parents[2] / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|<[^>]+>")


def english_marked_in(*templates: str) -> set[str]:
    """The English words marked in these templates (each literal stretch between the
    placeholders and tags, long enough to mean something), where the Welsh differs."""
    with CATALOGUE.open("rb") as f:
        catalogue = read_po(f)
    found = set()
    for message in catalogue:
        if not message.id or not any(path in templates for path, _ in message.locations):
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            for part in PLACEHOLDER.split(english.replace("%%", "%")):
                part = part.strip(" .,:;()·")
                if len(part) >= 6 and " " in part and not any(part in welsh for welsh in strings):
                    found.add(part)
    return found


def main_text(response, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    return text_of(response.text.split('id="maincontent"', 1)[1].split("</main>", 1)[0])


def assert_welsh(text: str, *templates: str) -> None:
    left = sorted(words for words in english_marked_in(*templates) if words in text)
    assert not left, left


@pytest.fixture
def weekly(course, enrolled):
    """The learner in a weekly cohort that began today: week 1 open, week 2 not yet."""
    cohort = cohorts.create_cohort(course.course.id, "Carfan y gwanwyn", uk_today(), None, Pace.WEEKLY)
    cohorts.add_member(cohort, enrolled.email, CohortRole.LEARNER)
    db.session.commit()
    return cohort


def test_the_course_page_in_welsh(client, weekly):
    text = main_text(client.get("/", headers=WELSH))
    week_2 = long_date(uk_today() + timedelta(days=7), "cy")
    assert week_2.startswith("ddydd ")
    assert f"Wythnos 2: yn agor {week_2}" in text
    assert f"Wythnos 1: agorodd {long_date(uk_today(), 'cy')}" in text
    assert "Ewch i'ch rhestr i'w wneud" in text and "Sut mae camau'n cael eu cwblhau" in text
    assert re.search(r"\d+ (modiwl|fodiwl) · tua .* o ddysgu · am ddim", text)
    assert "Modiwl 1:" in text
    assert_welsh(text, "templates/learning/course.html", "templates/learning/_completion_rule.html")
    assert "Week 2" not in text and "opens on" not in text
    english = main_text(client.get("/"))  # the check would see English were it there
    assert len([words for words in english_marked_in("templates/learning/course.html") if words in english]) > 3


def test_a_module_page_in_welsh_and_one_not_open_yet(client, weekly, course):
    first = main_text(client.get(f"/modules/{course.modules[0].slug}", headers=WELSH))
    assert "Camau yn y modiwl hwn" in first and "Modiwl 1" in first
    assert_welsh(first, "templates/learning/module.html", "templates/learning/_step_row.html")
    second = main_text(client.get(f"/modules/{course.modules[1].slug}", headers=WELSH))
    assert f"Mae'r modiwl hwn yn agor {long_date(uk_today() + timedelta(days=7), 'cy')} i'ch carfan" in second
    assert_welsh(second, "templates/learning/module.html", "templates/learning/_step_row.html")


def test_a_step_page_in_welsh_even_after_its_english(client, enrolled):
    client.get(WELCOME)  # the module's step list is kept: the Welsh page must not get the English one
    page = client.get(WELCOME, headers=WELSH)
    text = main_text(page)
    assert "Marcio'n gyflawn a pharhau i" in text and "Parhau heb farcio" in text
    assert re.search(r"Cam 1 o \d+", text)
    assert re.search(r"0 o \d+ (cam|gam|cham) wedi'u cwblhau", text)  # the module's steps beside it
    assert "Nesaf" in text
    assert_welsh(
        text,
        "templates/steps/step.html",
        "templates/steps/_foot.html",
        "templates/steps/_module_steps.html",
    )
    assert "Mark as complete" not in text and "Continue without marking" not in text
    english = main_text(client.get(WELCOME))
    assert "Mark as complete and continue to" in english and "Marcio" not in english


def test_marking_a_step_complete_and_undoing_it_in_welsh(client, enrolled):
    marked = client.post(f"{WELCOME}/complete", data={"complete": "1"}, headers=WELSH)
    text = main_text(client.get(marked.location, headers=WELSH))
    assert "Mae cam 1.1 wedi'i farcio'n gyflawn." in text  # the confirmation, on the next step
    text = main_text(client.get(WELCOME, headers=WELSH))
    assert "Rydych wedi cwblhau'r cam hwn." in text and "Marcio'n anghyflawn" in text
    assert "You have completed this step" not in text
    client.post(f"{WELCOME}/complete", data={"complete": "0"}, headers=WELSH)
    text = main_text(client.get(WELCOME, headers=WELSH))
    assert "Mae cam 1.1 wedi'i farcio'n anghyflawn." in text


def test_the_to_do_page_in_welsh(client, enrolled, weekly, course):
    completion.set_step_complete(enrolled.id, course.steps[0].id)
    text = main_text(client.get("/todo", headers=WELSH))
    assert "I'w wneud" in text and "Parhau â cham" in text
    assert re.search(r"1 o \d+ (cam|gam|cham) wedi'u cwblhau · tua", text)
    assert f"Wythnos 2: yn agor {long_date(uk_today() + timedelta(days=7), 'cy')}" in text
    assert_welsh(
        text, "templates/learning/todo.html", "templates/learning/_step_row.html", "templates/learning/_activities.html"
    )


def test_the_not_open_page_and_refusal_in_welsh(client, weekly, course):
    later = course.modules[1].steps[0]
    opens = long_date(uk_today() + timedelta(days=7), "cy")
    text = main_text(client.get(f"/steps/{later.module_slug}/{later.slug}", headers=WELSH))
    assert f"Mae'r cam hwn yn agor {opens} , gyda gweddill modiwl 2" in text
    assert_welsh(text, "templates/steps/not_open.html")
    refused = client.post(f"/steps/{later.module_slug}/{later.slug}/complete", data={"complete": "1"}, headers=WELSH)
    text = main_text(refused, 403)
    assert (
        "Nid yw'r cam hwn ar agor eto" in text
        and f"Mae cam {later.number} yn agor {opens}, gyda gweddill ei wythnos." in text
    )
    assert_welsh(text, "templates/learning/refused.html")


def test_the_facilitators_csv_from_a_welsh_page_has_welsh_headings(client, login, facilitator, course):
    cohort = cohorts.create_cohort(course.course.id, "Arweinwyr ward", date(2027, 1, 1), None)
    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    learner = make_user(display_name="Nia Newydd")
    cohorts.add_member(cohort, learner.email, CohortRole.LEARNER)
    db.session.commit()
    completion.set_step_complete(learner.id, course.steps[0].id)
    login(facilitator)
    page = main_text(client.get(f"/facilitate/cohorts/{cohort.id}", headers=WELSH))
    assert "Lawrlwytho fel CSV" in page and "Yn dangos 1 dysgwr." in page
    assert_welsh(page, "templates/facilitation/dashboard.html", "templates/facilitation/_nav.html")
    body = client.get(f"/facilitate/cohorts/{cohort.id}/export.csv", headers=WELSH).text
    heading, row = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert heading[:4] == ["Dysgwr", "Camau wedi'u cwblhau", "Allan o", "Canran"]
    assert heading[4] == "Gweithgar ddiwethaf (UTC)" and heading[6].startswith("Wedi stopio (dim gweithgarwch ers ")
    assert row[0] == "Nia Newydd" and row[1] == "1" and row[2] == str(len(course.steps))  # cells as they were
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[4])
    english = client.get(f"/facilitate/cohorts/{cohort.id}/export.csv").text.lstrip("\ufeff")
    assert english.startswith("Learner,Steps completed,Of,Percent,Last active (UTC),Last step visited,Stalled")


def test_every_facilitator_page_in_welsh(client, login, facilitator, course):
    cohort = cohorts.create_cohort(course.course.id, "Arweinwyr ward", date(2027, 1, 1), None)
    cohorts.add_member(cohort, facilitator.email, CohortRole.FACILITATOR)
    learner = make_user(display_name="Nia Newydd")
    cohorts.add_member(cohort, learner.email, CohortRole.LEARNER)
    db.session.commit()
    completion.set_step_complete(learner.id, course.steps[0].id)
    login(facilitator)
    base = f"/facilitate/cohorts/{cohort.id}"
    pages = {
        "/facilitate/": ("cohorts.html", "Dechreuodd ar "),
        f"{base}/steps": ("steps.html", "Dysgwyr sy'n cyrraedd ac yn cwblhau pob cam"),
        f"{base}/discussion": ("discussion.html", "Does dim sylwadau y rhoddwyd gwybod amdanynt"),
        f"{base}/care": ("care.html", "Ciw gofal"),
        f"{base}/self-assessments": ("self_assessments.html", "Does dim hunanasesiadau yn y cwrs."),
        f"{base}/learners/{learner.id}": ("learner.html", "wedi'u cwblhau"),
        f"{base}/learners/{learner.id}/message": ("message.html", "Anfon neges at Nia Newydd"),
    }
    for url, (template, welsh) in pages.items():
        text = main_text(client.get(url, headers=WELSH))
        assert welsh in text, url
        assert_welsh(text, f"templates/facilitation/{template}", "templates/facilitation/_nav.html")
    draft = client.get(f"{base}/learners/{learner.id}/message", headers=WELSH).text
    assert "Helo Nia," in draft and "Sut mae&#39;r cwrs yn mynd?" in draft


def test_the_printable_self_assessment_in_welsh(client, assessed):
    import pypdf

    response = client.get("/steps/check-your-learning/how-you-lead/printable.pdf", headers=WELSH)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.data)).pages).split())
    assert "Eich atebion" in text and "Sut i'w sgorio" in text
    assert "Datganiadau 1, 2 (gwrthdro: 2)" in text and "Datganiad 3." in text
    assert "1.0 i 2.5" in text and "Eich sgôr:" in text
    for english in ("Your answers", "How to score it", "Statements 1, 2", "1.0 to 2.5", "Your score"):
        assert english not in text
