"""The pages' shell in Welsh, in Chromium: on a phone (320 and 375 CSS pixels) the header with
its language switch fits without sideways scrolling and its links do not overlap; axe-core
finds nothing wrong with Welsh pages; and the scripts speak Welsh, from the words block,
under the app's real Content-Security-Policy."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from lms.learning import service as learning
from tests.browser.pages import sign_in
from tests.browser.test_narrow_screens import MEASURE, SMALLEST_TEXT, WIDTHS
from tests.factories import make_user

HEADER_LINKS = ".nhsuk-header__account-item, .nhsuk-header__service"


def _overlaps(page) -> list[str]:
    """The header's service name and account links whose boxes overlap one another."""
    boxes = page.eval_on_selector_all(
        HEADER_LINKS,
        """items => items.map(i => { const b = i.getBoundingClientRect();
             return {text: i.textContent.trim().replace(/\\s+/g, ' '), l: b.left, r: b.right, t: b.top, b: b.bottom}; })""",
    )
    wrong = []
    for n, one in enumerate(boxes):
        for other in boxes[n + 1 :]:
            if (
                one["l"] < other["r"] - 1
                and other["l"] < one["r"] - 1
                and one["t"] < other["b"] - 1
                and other["t"] < one["b"] - 1
            ):
                wrong.append(f"{one['text']!r} overlaps {other['text']!r}")
    return wrong


def _check_narrow(page, urls) -> list[str]:
    wrong = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for url in urls:
            page.goto(url)
            found = page.evaluate(MEASURE, SMALLEST_TEXT)
            if found["scroll"] > found["width"]:
                wrong.append(f"{width}px: {url} is {found['scroll']}px wide; widest: {found['widest']}")
            wrong += [f"{width}px: {url}: {problem}" for problem in _overlaps(page)]
            switch = page.locator(".lms-language-switch a")
            expect(switch).to_be_visible()
            box = switch.bounding_box()
            if box["x"] < 0 or box["x"] + box["width"] > width:
                wrong.append(f"{width}px: {url}: the language switch is off the screen")
    return wrong


def test_the_welsh_shell_fits_a_phone_and_passes_axe(browser, live_server, axe_check):
    with live_server.app.app_context():
        from lms.content import service as content

        person = make_user(email="bethan@example.org", display_name="Bethan Llewellyn-Williams", role="admin")
        learning.join_course(person.id, content.get_outline().course.id)
    visitor = browser.new_context(locale="cy-GB", bypass_csp=True).new_page()  # axe is injected
    visitor.goto(live_server("/"))
    assert visitor.locator("html").get_attribute("lang") == "cy"
    expect(visitor.get_by_role("link", name="Neidio i'r prif gynnwys")).to_be_attached()
    pages = [live_server(path) for path in ("/", "/accessibility", "/cookies", "/privacy", "/no/such/page")]
    wrong = _check_narrow(visitor, pages)

    admin = browser.new_context(locale="en-GB", bypass_csp=True).new_page()
    sign_in(admin, live_server, "bethan@example.org")
    admin.goto(live_server("/language/cy?next=/todo"))
    expect(admin.get_by_role("button", name="Allgofnodi")).to_be_visible()
    wrong += _check_narrow(admin, [live_server(path) for path in ("/todo", "/accessibility")])
    assert not wrong, "\n".join(wrong)

    for page in (visitor, admin):  # at a phone's width, and as wide as a desktop
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            for path in ("/", "/accessibility"):
                page.goto(live_server(path))
                axe_check(page)


def test_the_scripts_speak_welsh_under_the_real_csp(browser, live_server):
    with live_server.app.app_context():
        from lms.content import service as content

        person = make_user(email="gwen@example.org", display_name="Gwen")
        outline = content.get_outline()
        learning.join_course(person.id, outline.course.id)
        step = next(s for s in outline.steps if s.type == "discussion")
    context = browser.new_context(locale="en-GB", bypass_csp=False)
    page = context.new_page()
    refused = []
    page.on("console", lambda message: "script-src" in message.text and refused.append(message.text))
    sign_in(page, live_server, "gwen@example.org")
    page.goto(live_server(f"/language/cy?next=/steps/{step.module_slug}/{step.slug}"))
    box = page.locator("textarea[data-draft-key]").first
    box.fill("Rhywbeth i'w ddweud")
    # The character count's live message, from the data-i18n attributes.
    expect(page.locator(".nhsuk-character-count__status")).to_have_text(
        re.compile(r"^Mae gennych [\d,.\s]+ nod ar ôl$")
    )
    page.reload()
    # discussion.js's note, from the words block.
    expect(page.get_by_text("Rydym wedi cadw'r sylw nad oeddech wedi'i anfon eto.")).to_be_visible()
    assert not refused, refused
