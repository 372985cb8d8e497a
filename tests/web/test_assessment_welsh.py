"""Results, the certificate and the learning record in Welsh: the words the interface writes
come out in the reader's language (course content stays as written), and the PDF too."""

from __future__ import annotations

import html
import io
import re
from functools import cache

import pypdf
import sqlalchemy as sa
from babel.messages.pofile import read_po

from lms.certificates.models import Certificate
from lms.config import ROOT
from lms.extensions import db
from lms.learning import completion

QUIZ = "/steps/check-your-learning/quick-quiz"
HOW_YOU_LEAD = "/steps/check-your-learning/how-you-lead"
FINAL_TEST = "/steps/check-your-learning/final-test"
WELSH = {"Accept-Language": "cy"}
ENGLISH = {"Accept-Language": "en-GB"}
AREAS = ("templates/assessment", "lms/assessment")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%|<[^>]+>")


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def text_of_pdf(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).split())


@cache
def english_phrases() -> tuple[str, ...]:
    """The English the interface writes on these pages, as a reader would meet it: each
    message's fixed words between its placeholders and tags, where that is a phrase of three
    words or more (short words like "Band" are the same in both languages)."""
    with open(ROOT / "translations" / "cy" / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalogue = read_po(po)
    phrases = set()
    for message in catalogue:
        if not message.id or not any(path.startswith(AREAS) for path, _ in message.locations):
            continue
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in PLACEHOLDER.split(msgid):
                piece = piece.strip(" .,:;()")
                if len(piece.split()) >= 3:
                    phrases.add(piece)
    return tuple(sorted(phrases))


def english_left_in(text: str) -> list[str]:
    return [phrase for phrase in english_phrases() if phrase in text]


def _step_id(outline, slug: str) -> int:
    return next(s.id for s in outline.steps if s.slug == slug)


def _self_assess(client, outline, listen: int, interrupt: int, obstacles: int) -> None:
    """Answered in Welsh: the message the answer leaves for the next page is in Welsh."""
    data = {
        "step": str(_step_id(outline, "how-you-lead")),
        "statement-listen": str(listen),
        "statement-interrupt": str(interrupt),
        "statement-obstacles": str(obstacles),
    }
    assert client.post(f"{HOW_YOU_LEAD}/answers", data=data, headers=WELSH).status_code == 302


def _answer(client, outline, url: str, answers: dict) -> None:
    data = {"step": str(_step_id(outline, url.rsplit("/", 1)[1])), **{f"question-{k}": v for k, v in answers.items()}}
    assert client.post(f"{url}/answers", data=data, headers=WELSH).status_code == 302


def test_the_english_phrases_are_found_on_an_english_page(client, assessed, assessed_course):
    """The check below is only as good as its list: on the English page it finds them."""
    _answer(client, assessed_course, QUIZ, {"colour": ["2"], "values": ["1", "3"]})
    left = english_left_in(text_of(client.get(f"{QUIZ}/results", headers=ENGLISH).text))
    assert "Read the feedback below, then" in left and "Every attempt, newest first" in left


def test_a_quiz_result_in_welsh(client, assessed, assessed_course):
    _answer(client, assessed_course, QUIZ, {"colour": ["1"], "values": ["1", "2"]})
    _answer(client, assessed_course, QUIZ, {"colour": ["2"], "values": ["1", "3"]})  # one of two right, one wrong
    page = client.get(f"{QUIZ}/results", headers=WELSH)
    assert page.status_code == 200 and '<html lang="cy">' in page.text
    text = text_of(page.text)
    assert "Eich sgôr" in text and "Beth i'w wneud nesaf" in text and "Pob ymgais, y diweddaraf yn gyntaf" in text
    assert "Cwestiwn 1:" in text and "Ddim yn gywir" in text and "Yn rhannol gywir" in text
    assert "Dewisoch 1 o'r 2 ateb cywir. Nid yw 1 o'ch dewisiadau yn gywir." in text  # the choose-many sentence
    assert "rhowch gynnig ar y cwis eto" in text
    assert english_left_in(text) == []
    english = text_of(client.get(f"{QUIZ}/results", headers=ENGLISH).text)
    assert "You chose 1 of the 2 right answers, and 1 that is not right." in english and "Eich sgôr" not in english


def test_a_self_assessment_result_in_welsh(client, assessed, assessed_course):
    for scores in ((2, 4, 2), (3, 3, 3), (4, 2, 5)):  # three times: changes since last and first time
        _self_assess(client, assessed_course, *scores)
    page = client.get(f"{HOW_YOU_LEAD}/results", headers=WELSH)
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Wedi'i wneud ar" in text and "3 thro i gyd" in text  # the plural with its mutation
    assert "Eich sgôr gyffredinol yw" in text and "allan o 5" in text and "sef cyfartaledd y 2 faes" in text
    assert "Ers y tro diwethaf" in text and "i fyny" in text and "Eich sgoriau fel siart" in text
    assert '<title id="chart-title">Eich sgoriau ym mhob maes, allan o 5</title>' in page.text
    assert re.search(r">Nawr</text>.*>Y tro diwethaf</text>.*>Y tro cyntaf</text>", page.text, re.S)  # the legend
    assert re.search(r">\d\.\d nawr</text>", page.text)  # a bar's words
    assert "Cyffredinol" in text
    assert english_left_in(text) == []
    english = client.get(f"{HOW_YOU_LEAD}/results", headers=ENGLISH).text
    assert "Your scores in each area, out of 5" in english and "3 times in all" in english and ">Now</text>" in english


def test_the_answer_sheet_is_in_welsh_for_a_welsh_reader_and_english_for_the_next(client, assessed, assessed_course):
    """The blank sheet is kept per process (lms.fragments): one kept in Welsh is never served in English."""
    welsh = text_of(client.get(HOW_YOU_LEAD, headers=WELSH).text)
    assert "Cadw fy atebion a gweld fy nghanlyniadau" in welsh and "Bob amser" in welsh
    english = text_of(client.get(HOW_YOU_LEAD, headers=ENGLISH).text)
    assert "Save my answers and see my results" in english and "Always" in english and "Bob amser" not in english
    quiz = text_of(client.get(QUIZ, headers=WELSH).text)
    assert "Gwirio eich dealltwriaeth" in quiz and "Cwestiwn 1:" in quiz and "Gwirio fy atebion" in quiz


def _earn_certificate(client, assessed, outline) -> str:
    _answer(client, outline, FINAL_TEST, {"capital": ["1"], "nations": ["1", "2"]})
    for step in outline.steps:
        completion.complete_step(assessed.id, step.id)
    db.session.commit()
    assert client.post("/certificate", headers=WELSH).status_code == 302
    return db.session.scalar(sa.select(Certificate.code))


def test_the_certificate_and_the_learning_record_pdf_in_each_language(client, assessed, assessed_course):
    code = _earn_certificate(client, assessed, assessed_course)
    certificate = text_of(client.get("/certificate", headers=WELSH).text)
    assert "Tystysgrif cyflawniad" in certificate and "Mae hyn yn tystio bod" in certificate
    assert "wedi cwblhau'r cwrs" in certificate and "Cod dilysu" in certificate
    assert "Certificate of achievement" not in certificate and "This certifies that" not in certificate
    verify = text_of(client.get(f"/certificates/{code}", headers=WELSH).text)
    assert "Mae'r dystysgrif hon yn ddilys" in verify and "Dyfarnwyd i" in verify

    welsh = text_of_pdf(client.get("/record/learning-record.pdf", headers=WELSH).data)
    assert "Cofnod dysgu" in welsh and "Tystysgrif" in welsh and "Cyhoeddwyd" in welsh and code in welsh
    assert "sgôr orau 100%" in welsh.lower() and "wedi pasio" in welsh
    assert "Learning record" not in welsh and "Issued" not in welsh and "Not yet earned" not in welsh
    months = "January February March April May June July August September October November December".split()
    assert not any(month in welsh for month in months)  # dates through Babel, in Welsh

    english = text_of_pdf(client.get("/record/learning-record.pdf", headers=ENGLISH).data)
    assert "Learning record" in english and "Issued" in english and code in english
    assert "Best score 100%" in english and "Cofnod dysgu" not in english and "Cyhoeddwyd" not in english


def test_the_learning_record_download_in_welsh(client, assessed, assessed_course):
    _self_assess(client, assessed_course, 2, 4, 2)
    _self_assess(client, assessed_course, 4, 2, 5)
    body = client.get("/record/learning-record.md", headers=WELSH).data.decode()
    assert body.startswith("# Cofnod dysgu: ")
    assert "- Tystysgrif: heb ei hennill eto" in body and "## Hunanasesiadau" in body
    assert "Wedi'i wneud 2 dro, y tro cyntaf ar" in body
    assert "| Dimensiwn | Cyntaf | Diweddaraf | Newid | Band nawr |" in body
    assert "Learning record" not in body and "not yet earned" not in body


def test_a_quiz_with_no_welsh_version_says_its_words_are_english(client, assessed, assessed_course):
    """The interface around it is Welsh; the course's own question and options carry lang="en"."""
    quiz = client.get(QUIZ, headers=WELSH).text
    legend = re.search(r"<legend[^>]*>(.*?)</legend>", quiz, re.S)[1]
    assert "Cwestiwn 1:" in legend and '<span lang="en">' in legend
    assert re.search(r'<label[^>]*>\s*<span lang="en">', quiz)
    _answer(client, assessed_course, QUIZ, {"colour": ["1"], "values": ["1", "2"]})
    results = client.get(f"{QUIZ}/results", headers=WELSH).text
    assert re.search(r'<h2 id="question-1"[^>]*>Cwestiwn 1: <span lang="en">', results)
    english = client.get(QUIZ, headers=ENGLISH).text
    assert '<span lang="en">' not in english and 'lang="en"' not in english.split("<main", 1)[1]
