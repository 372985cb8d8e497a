"""axe-core over every page in the URL map, not only the journeys' pages: an admin (who may
open every page, and has taken part in the course) visits each GET route with real data,
and a visitor the pages for people who are signed out. A new route is audited here the
day it is added; the accessibility statement lists what passed."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from lms.assessment import scoring
from lms.assessment import service as assessment
from lms.certificates.codes import new_code
from lms.certificates.models import Certificate
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.comments import service as discussion
from lms.extensions import db
from lms.learning import service as learning
from lms.lti import service as lti
from lms.notifications import mailing
from lms.notifications import service as notifications
from lms.notifications.models import Notification
from lms.reflection import service as reflection
from tests.browser.pages import sign_in
from tests.factories import make_user
from tests.web.test_permissions import (
    ACCESS,
    AUTHOR,
    DEEP_LINK,
    GET_RULES,
    GUEST,
    LAUNCH,
    OFF,
    PLATFORM,
    SWITCH,
    image_values,
    link_to_platform,
    link_tokens,
    printable_step,
    url_for_rule,
)


def a_world(live_server) -> dict:
    """The URL values for every route: the admin's own comment, reflection, notification and
    quiz result; another learner's comment and certificate; a cohort."""
    with live_server.app.app_context():
        from lms.content import service as content

        outline = content.get_outline()
        admin = make_user(email="ada@example.org", display_name="Ada Admin", role="admin")
        other = make_user(email="olly@example.org", display_name="Olly Other")
        for person in (admin, other):
            learning.join_course(person.id, outline.course.id)
        cohort = cohorts.create_cohort(outline.course.id, "Ward managers", date(2027, 1, 1), "WARD-2027")
        cohorts.add_member(cohort, other.email, CohortRole.LEARNER)
        db.session.commit()
        step = next(s for s in outline.steps if s.type == "discussion")
        quiz = next(s for s in outline.steps if s.type == "quiz")
        theirs = discussion.post_comment(other, step.id, "What helps me most is a *kind* handover.")
        mine = discussion.post_comment(admin, step.id, "Thank you for sharing this.")
        notifications.notify(admin.id, "reply", theirs.id, actor_id=other.id)
        questions = assessment.settings_for(quiz, assessment.QUIZ_TYPES)["questions"]
        assessment.answer_quiz(admin.id, quiz, str(quiz.id), {q["id"]: [scoring.option_keys(q)[0]] for q in questions})
        own = reflection.save(admin.id, step.id, "What I noticed this week.", {}, False)
        certificate = Certificate(
            user_id=other.id,
            course_id=outline.course.id,
            code=new_code(),
            learner_name=other.display_name,
            course_title=outline.course.title,
            hours=11,
        )
        db.session.add(certificate)
        db.session.commit()
        platform = lti.save_platform(admin, None, **PLATFORM)
        link_to_platform(platform, cohort)
        return {
            "comment_id": theirs.id,
            "own_comment_id": mine.id,
            "person_id": other.id,
            "notification_id": db.session.scalar(sa.select(sa.func.max(Notification.id))),
            "quiz": {"module_slug": quiz.module_slug, "step_slug": quiz.slug},
            "printable": printable_step(outline),
            **pictures_and_glossary(outline),
            "code": certificate.code,
            "module_slug": step.module_slug,
            "step_slug": step.slug,
            "step_id": step.id,
            "module_id": outline.modules[0].id,
            "cohort_id": cohort.id,
            "join_code": cohort.join_code,
            "user_id": other.id,
            "reflection_id": own.id,
            "number": 1,
            "filename": "css/app.css",
            "platform_id": platform.id,
            "tokens": {**link_tokens(other), "notifications.unsubscribe": mailing.unsubscribe_token(admin.id, "likes")},
        }


def pictures_and_glossary(outline) -> dict:
    """The course's glossary and a picture, from the test fixtures while content/ has none:
    every page audited whatever the course holds."""
    from lms.content.models import ContentAsset, Course
    from lms.content.schema import load_course
    from lms.content.stored_glossary import stored_glossary
    from tests.conftest import FIXTURE_CONTENT

    fixture = load_course(FIXTURE_CONTENT)
    if not outline.course.glossary:
        db.session.execute(sa.update(Course).values(glossary=stored_glossary(fixture.glossary, None)))
    if db.session.scalar(sa.select(ContentAsset.id).limit(1)) is None:
        (image,) = fixture.modules[0].images
        db.session.add(
            ContentAsset(
                module_id=outline.modules[0].id,
                name=image.name,
                media_type=image.media_type,
                data=image.data,
                sha256=image.sha256,
            )
        )
    db.session.commit()
    return image_values()


def url_of(rule, values: dict) -> str:
    if ACCESS[rule.endpoint] == AUTHOR:  # pages only a comment's author may open
        values = {**values, "comment_id": values["own_comment_id"]}
    return url_for_rule(rule, values)


def audit(page, live_server, axe_check, rules, values) -> list[str]:
    wrong = []
    for rule in rules:
        url = live_server(url_of(rule, values))
        response = page.request.get(url, max_redirects=0)
        if response.status != 200:
            wrong.append(f"{rule.endpoint}: {url} answered {response.status}")
            continue
        if "attachment" in response.headers.get("content-disposition", ""):
            continue  # a download (CSV, Markdown, PDF, JSON), not a page to read
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue  # a picture of the course (content.image), not a page
        page.goto(url)
        axe_check(page)
    return wrong


def test_every_page_passes_axe(browser, live_server, axe_check):
    values = a_world(live_server)
    visitor = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    signed_out = [r for r in GET_RULES if ACCESS[r.endpoint] in (GUEST, "public")]
    wrong = audit(visitor, live_server, axe_check, signed_out, values)

    admin = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    sign_in(admin, live_server, "ada@example.org")
    signed_in = [r for r in GET_RULES if ACCESS[r.endpoint] not in (GUEST, OFF, LAUNCH, DEEP_LINK, SWITCH)]
    wrong += audit(admin, live_server, axe_check, signed_in, values)
    assert not wrong, "\n".join(wrong)
