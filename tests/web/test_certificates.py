"""The certificate: what is left to do, claiming it, the printable page and the public check."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from lms.certificates.codes import ALPHABET
from lms.certificates.models import Certificate
from lms.extensions import db
from lms.learning import completion
from lms.learning import service as learning
from tests.factories import PASSWORD

TEST = "/steps/check-your-learning/final-test"
CODE = re.compile(rf"^[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{3}}$")


def text_of(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def complete_steps(user_id: int, outline, leave: int = 0) -> None:
    """Mark every step but the last `leave` complete (as answering or the button would)."""
    for step in outline.steps[: len(outline.steps) - leave]:
        completion.complete_step(user_id, step.id)
    db.session.commit()


def take_test(client, outline, right: bool) -> None:
    test_id = next(s.id for s in outline.steps if s.type == "test")
    answers = (
        {"question-capital": "1", "question-nations": ["1", "2"]}
        if right
        else {"question-capital": "2", "question-nations": "3"}
    )
    assert client.post(f"{TEST}/answers", data={"step": str(test_id), **answers}).status_code == 302


def certificates() -> list[Certificate]:
    return list(db.session.scalars(sa.select(Certificate)))


def test_a_new_learner_sees_what_is_left_to_do_and_cannot_claim(client, assessed, assessed_course):
    text = text_of(client.get("/certificate").text)
    assert "What is left to do" in text
    assert "Complete 7 more steps: you have completed 0 of 7." in text
    assert "Pass the test at step 3.3, Final test (pass mark 50%): not taken yet, 2 attempts allowed." in text
    assert "Get my certificate" not in text
    refused = client.post("/certificate")
    assert refused.location == "/certificate" and certificates() == []
    assert "You have not earned the certificate yet: see what is left to do below." in text_of(
        client.get("/certificate").text
    )


def test_ninety_percent_of_steps_without_the_test_is_not_enough(client, assessed, assessed_course):
    complete_steps(assessed.id, assessed_course)
    take_test(client, assessed_course, right=False)
    text = text_of(client.get("/certificate").text)
    assert "Complete" not in text.split("What is left to do")[1].split("Pass the test")[0]
    assert "best score so far 0%, 1 attempt left." in text
    refused = client.post("/certificate")
    assert refused.location == "/certificate" and certificates() == []


def test_passing_the_test_without_enough_steps_is_not_enough(client, assessed, assessed_course):
    take_test(client, assessed_course, right=True)
    complete_steps(assessed.id, assessed_course, leave=2)  # 3.3, the test, is complete already
    text = text_of(client.get("/certificate").text)
    assert "Complete 1 more step: you have completed 6 of 7." in text and "Pass the test" not in text
    assert client.post("/certificate").location == "/certificate" and certificates() == []


def test_an_eligible_learner_claims_a_printable_certificate_once(client, assessed, assessed_course):
    complete_steps(assessed.id, assessed_course)
    take_test(client, assessed_course, right=True)
    assert "You have earned it" in text_of(client.get("/certificate").text)
    response = client.post("/certificate")
    assert response.status_code == 302 and response.location == "/certificate"
    [certificate] = certificates()
    assert CODE.match(certificate.code)
    assert (certificate.learner_name, certificate.course_title, certificate.hours) == (
        "Lee Learner",
        "Test Course",
        1.5,
    )

    page = client.get("/certificate").text
    text = text_of(page)
    assert "Certificate of achievement" in text and "Lee Learner" in text and "Test Course" in text
    assert "1.5 hours" in text and certificate.code in text and f"/certificates/{certificate.code}" in page
    assert 'media="print" href="/static/css/print.css?v=' in page  # versioned: cached a year (lms.assets)
    assert client.post("/certificate").status_code == 302 and certificates() == [certificate]  # still one
    assert "You earned your certificate on" in text_of(client.get("/progress").text)


def test_the_print_stylesheet_puts_the_certificate_alone_on_an_a4_landscape_page(client):
    with client.get("/static/css/print.css") as response:
        css = response.text
    assert re.search(r"@page certificate\s*\{[^}]*size:\s*A4 landscape", css)
    assert re.search(r"\.lms-certificate\s*\{[^}]*page:\s*certificate", css)


def test_anyone_can_check_a_certificate_and_learns_nothing_else(client, make_app, assessed, assessed_course):
    complete_steps(assessed.id, assessed_course)
    take_test(client, assessed_course, right=True)
    client.post("/certificate")
    code = certificates()[0].code

    public = make_app().test_client()  # signed out
    response = public.get(f"/certificates/{code}")
    assert response.status_code == 200
    text = text_of(response.text)
    assert "This certificate is genuine" in text
    assert "Lee Learner" in text and "Test Course" in text and "1.5 hours" in text and code in text
    assert assessed.email not in response.text and "Final test" not in text and "score" not in text.lower()
    assert '<meta name="robots" content="noindex">' in response.text

    typed = public.get(f"/certificates/{code.lower().replace('-', '')}")
    assert typed.status_code == 301 and typed.location == f"/certificates/{code}"
    assert public.get(f"/certificates/?code={code.lower()}").location == f"/certificates/{code}"


def test_an_unknown_or_malformed_code_is_not_found(client):
    for code in ("0000-0000-0000-0000", "not-a-code", "x" * 300):
        response = client.get(f"/certificates/{code}")
        assert response.status_code == 404 and "No certificate has this code" in response.text
    page = client.get("/certificates/?code=abc")
    assert page.status_code == 200 and "Enter the code as printed" in text_of(page.text)
    assert "Enter the verification code" in text_of(client.get("/certificates/?code=").text)
    assert "Check a certificate" in text_of(client.get("/certificates/").text)


def test_codes_differ_between_learners(client, make_app, assessed, assessed_course, intruder):
    complete_steps(assessed.id, assessed_course)
    take_test(client, assessed_course, right=True)
    client.post("/certificate")
    other = make_app().test_client()
    learning.join_course(intruder.id, assessed_course.course.id)
    other.post("/login", data={"email": intruder.email, "password": PASSWORD})
    complete_steps(intruder.id, assessed_course)
    take_test(other, assessed_course, right=True)
    other.post("/certificate")
    codes = {c.code for c in certificates()}
    assert len(codes) == 2 and all(CODE.match(c) for c in codes)


def test_deleting_the_account_withdraws_the_certificate(client, make_app, assessed, assessed_course):
    complete_steps(assessed.id, assessed_course)
    take_test(client, assessed_course, right=True)
    client.post("/certificate")
    code = certificates()[0].code
    client.post("/record/delete-account", data={"password": PASSWORD})
    assert certificates() == []
    assert make_app().test_client().get(f"/certificates/{code}").status_code == 404


def test_the_certificate_pages_need_a_joined_learner(client, assessed_course, learner, login):
    assert client.get("/certificate").location.startswith("/login")
    login(learner)
    assert client.get("/certificate").location == "/"
    assert client.post("/certificate").location == "/"
