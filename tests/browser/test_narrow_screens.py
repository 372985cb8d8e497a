"""Every page in the URL map on a phone: at 320 and 375 CSS pixels wide, nothing makes the
page scroll sideways, and no chart's text is drawn smaller than 12 CSS pixels.

The pages and people are test_every_page's (a visitor, and an admin who has taken part in
the course); the admin has also taken a self-assessment three times and five learners of a
cohort have answered a team self-assessment, so the charts and history tables are drawn."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import User
from lms.assessment import scoring
from lms.assessment import service as assessment
from lms.cohorts import service as cohorts
from lms.cohorts.models import CohortRole
from lms.extensions import db
from lms.learning import service as learning
from tests.browser.pages import sign_in
from tests.browser.test_every_page import a_world, url_of
from tests.factories import make_user
from tests.web.test_permissions import ACCESS, DEEP_LINK, GET_RULES, GUEST, LAUNCH, OFF, SWITCH

WIDTHS = (320, 375)
SMALLEST_TEXT = 12  # CSS pixels

# What makes the page wider than the window (the element reaching furthest right, not
# inside a box that scrolls or clips on its own), and chart text drawn too small or cut off
# at the drawing's edge.
MEASURE = """(smallest) => {
  const width = window.innerWidth;
  let widest = null, right = width;
  const range = document.createRange();
  const walk = (element) => {
    for (const child of element.childNodes) {
      let box;
      if (child.nodeType === Node.TEXT_NODE) { range.selectNodeContents(child); box = range.getBoundingClientRect(); }
      else if (child.nodeType === Node.ELEMENT_NODE) box = child.getBoundingClientRect();
      else continue;
      if (box.right > right + 0.5) { right = box.right; widest = child.nodeType === Node.TEXT_NODE ? element : child; }
      if (child.nodeType === Node.ELEMENT_NODE && (getComputedStyle(child).overflowX === 'visible' || child instanceof SVGElement)) walk(child);
    }
  };
  walk(document.body);
  if (!widest) {  // something positioned out of its scrolling box's reach: look at everything
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.right > right + 0.5) { right = box.right; widest = element; }
    }
  }
  const describe = (e) => e && (e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (e.classList.length ? '.' + [...e.classList].join('.') : '') +
      ' "' + (e.textContent || '').trim().slice(0, 60) + '" reaching ' + Math.round(right) + 'px');
  const small = [];
  for (const text of document.querySelectorAll('svg text')) {
    const size = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
    if (size < smallest) small.push(`"${text.textContent.trim()}" at ${size.toFixed(1)}px`);
    const box = text.getBoundingClientRect(), drawing = text.ownerSVGElement.getBoundingClientRect();
    if (box.left < drawing.left - 1 || box.right > drawing.right + 1) small.push(`"${text.textContent.trim()}" cut off`);
  }
  return {scroll: document.documentElement.scrollWidth, width, widest: describe(widest), small};
}"""


def _more_world(live_server, values: dict) -> list[str]:
    """The admin's self-assessment taken three times, the final test taken once, and a team
    self-assessment answered by five learners of the cohort, so the charts and histories are
    drawn at their fullest. Returns the pages to add: every step (the course's own text, with
    its sources) and those results."""
    with live_server.app.app_context():
        from lms.content import service as content

        outline = content.get_outline()
        admin = db.session.scalar(sa.select(User).filter_by(email="ada@example.org"))
        steps = [s for s in outline.steps if s.type == "self-assessment"]
        mine = steps[0]
        team = next(s for s in steps if content.get_step_settings(s.id)["audience"] == "team")
        cohort = cohorts.get_cohort(values["cohort_id"])
        for answer in ("2", "4", "5"):
            _answer(admin.id, mine, answer)
        for n in range(5):
            learner = make_user(email=f"learner{n}@example.org", display_name=f"Learner {n}")
            learning.join_course(learner.id, outline.course.id)
            cohorts.add_member(cohort, learner.email, CohortRole.LEARNER)
            db.session.commit()
            _answer(learner.id, team, str(n % 5 + 1))
        final = next(s for s in outline.steps if s.type == "test")
        questions = assessment.settings_for(final, assessment.QUIZ_TYPES)["questions"]
        assessment.answer_quiz(
            admin.id, final, str(final.id), {q["id"]: [scoring.option_keys(q)[0]] for q in questions}
        )
        every_step = [f"/steps/{s.module_slug}/{s.slug}" for s in outline.steps]
        results = [f"/steps/{s.module_slug}/{s.slug}/results" for s in (mine, final)]
        return every_step + results


def _answer(user_id: int, step, answer: str) -> None:
    statements = assessment.settings_for(step, (assessment.SELF_ASSESSMENT,))["statements"]
    assessment.take_self_assessment(user_id, step, str(step.id), {s["id"]: [answer] for s in statements})


def _pages(page, live_server, rules, values, extra=()) -> list[str]:
    """The URLs of these routes that answer a page to read (not a download, a picture or a redirect)."""
    urls = []
    for url in [live_server(url_of(rule, values)) for rule in rules] + [live_server(u) for u in extra]:
        response = page.request.get(url, max_redirects=0)
        assert response.status == 200, f"{url} answered {response.status}"
        if "attachment" in response.headers.get("content-disposition", ""):
            continue
        if response.headers.get("content-type", "").startswith("text/html"):  # not a picture of the course
            urls.append(url)
    return urls


def _too_wide(page, urls) -> list[str]:
    wrong = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for url in urls:
            page.goto(url)
            found = page.evaluate(MEASURE, SMALLEST_TEXT)
            if found["scroll"] > found["width"]:
                wrong.append(f"{width}px: {url} is {found['scroll']}px wide; widest: {found['widest']}")
            if found["small"]:
                wrong.append(
                    f"{width}px: {url} chart text under {SMALLEST_TEXT}px or cut off: {', '.join(found['small'])}"
                )
    return wrong


def test_no_page_scrolls_sideways_on_a_phone(browser, live_server):
    values = a_world(live_server)
    extra = _more_world(live_server, values)
    visitor = browser.new_context(locale="en-GB").new_page()
    signed_out = [r for r in GET_RULES if ACCESS[r.endpoint] in (GUEST, "public")]
    wrong = _too_wide(visitor, _pages(visitor, live_server, signed_out, values))

    admin = browser.new_context(locale="en-GB").new_page()
    sign_in(admin, live_server, "ada@example.org")
    signed_in = [
        r for r in GET_RULES if ACCESS[r.endpoint] not in (GUEST, OFF, LAUNCH, DEEP_LINK, SWITCH)
    ]  # as every page
    wrong += _too_wide(admin, _pages(admin, live_server, signed_in, values, extra))
    assert not wrong, "\n".join(wrong)
