"""The step page and completion (issue 18): one rule for completing a step, one button to
complete and move on, the module's steps beside the step, and results told truthfully."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.content.models import Step
from lms.extensions import db
from lms.learning import completion
from lms.learning.models import StepProgress
from tests.factories import make_comment, make_user
from tests.web.discussion_support import text_of
from tests.web.test_quiz import QUIZ, TEST, TEST_HALF, TEST_WRONG, answer

WELCOME = "/steps/first-steps/welcome"  # 1.1, an article
WATCH = "/steps/first-steps/watch-this"  # 1.2, a video
TALK = "/steps/first-steps/talk-about-it"  # 1.3, a discussion
LOOK_BACK = "/steps/next-steps/look-back"  # 2.1, a reflection: the last step of the course


def step_id(slug: str) -> int:
    return db.session.scalar(sa.select(Step.id).where(Step.slug == slug))


def is_complete(user_id: int, slug: str) -> bool:
    db.session.expire_all()
    return (
        db.session.scalar(
            sa.select(StepProgress.completed_at).where(
                StepProgress.user_id == user_id, StepProgress.step_id == step_id(slug)
            )
        )
        is not None
    )


def main_of(page: str) -> str:
    """The page's main content, where the learner lands."""
    return page.split('id="maincontent">', 1)[1].split("</main>", 1)[0]


def foot_of(page: str) -> str:
    return page.split('id="progress-actions"', 1)[1].split("</div>", 1)[0]


def module_list_of(page: str) -> str:
    return page.split('id="module-steps"', 1)[1].split("</nav>", 1)[0]


# The rule, on the course page ------------------------------------------------------------


def test_the_course_page_states_when_a_step_is_complete(client, course):
    text = text_of(client.get("/").text)
    assert "How steps are completed" in text
    assert "A step is complete when you mark it complete." in text
    assert (
        "Posting a comment on a discussion step, saving your reflection on a reflection step, "
        "sending your answers to a quiz or self-assessment, and passing the test mark the step complete for you."
        in text
    )
    assert "You can undo it with Mark as not complete" in text


# Discussions and reflections complete themselves -------------------------------------------


def test_posting_a_comment_on_a_discussion_step_completes_it(client, enrolled):
    assert not is_complete(enrolled.id, "talk-about-it")
    response = client.post(TALK + "/comments", data={"body": "In my ward we...", "submission": "k1"})
    assert response.status_code == 302
    assert is_complete(enrolled.id, "talk-about-it")
    page = client.get(TALK).text
    assert "Your comment has been posted. Step 1.3 is now complete." in text_of(page)
    foot = text_of(foot_of(page))
    assert "You have completed this step." in foot and "Mark as not complete" in foot


def test_a_reply_on_a_discussion_step_completes_it_too(client, enrolled):
    other = make_comment(make_user(), step_id("talk-about-it"), "What do you all think?")
    response = client.post(f"/comments/{other.id}/reply", data={"body": "I agree.", "submission": "k2"})
    assert response.status_code == 302
    assert is_complete(enrolled.id, "talk-about-it")


def test_a_comment_on_an_article_step_does_not_complete_it(client, enrolled):
    client.post(WELCOME + "/comments", data={"body": "A thought", "submission": "k3"})
    assert not is_complete(enrolled.id, "welcome")
    assert "Step 1.1 is now complete" not in text_of(client.get(WELCOME).text)


def test_a_discussion_step_can_be_marked_not_complete_after_posting(client, enrolled):
    client.post(TALK + "/comments", data={"body": "My example", "submission": "k4"})
    response = client.post(TALK + "/complete", data={"complete": "0"})
    assert response.location == TALK + "#progress-actions"
    assert not is_complete(enrolled.id, "talk-about-it")
    page = client.get(TALK).text
    # The confirmation is beside the button the learner pressed, not in a banner off-screen.
    assert "Step 1.3 is marked as not complete." in text_of(foot_of(page))
    assert "is marked as not complete" not in page.split('id="progress-actions"')[0]
    assert "Mark as complete and continue to 2.1" in text_of(foot_of(page))


def save_reflection(client, url: str = LOOK_BACK, **extra):
    return client.post(url + "/reflection", data={"body": "I will listen first.", **extra})


def test_saving_a_reflection_on_a_reflection_step_completes_it(client, enrolled):
    assert save_reflection(client).status_code == 302
    assert is_complete(enrolled.id, "look-back")
    text = text_of(client.get(LOOK_BACK).text)
    assert "Step 2.1 is now complete." in text and "You have completed this step." in text


def test_a_draft_kept_as_the_learner_types_does_not_complete_the_step(client, enrolled):
    response = client.post(LOOK_BACK + "/reflection/autosave", data={"body": "Half a thought"})
    assert response.status_code == 200
    assert not is_complete(enrolled.id, "look-back")
    save_reflection(client)  # then saved: now it does
    assert is_complete(enrolled.id, "look-back")


def test_a_private_reflection_on_an_article_does_not_complete_the_article(client, enrolled):
    save_reflection(client, WELCOME)
    assert not is_complete(enrolled.id, "welcome")


def test_saving_a_reflection_from_my_reflections_completes_its_step(client, enrolled):
    client.post(LOOK_BACK + "/reflection/autosave", data={"body": "Draft"})
    from lms.reflection.models import Reflection

    reflection_id = db.session.scalar(sa.select(Reflection.id))
    assert client.post(f"/reflections/{reflection_id}", data={"body": "Finished"}).status_code == 302
    assert is_complete(enrolled.id, "look-back")


# One button: complete and continue ----------------------------------------------------------


def test_the_foot_of_a_step_offers_complete_and_continue_to_the_next_step(client, enrolled):
    page = client.get(WELCOME).text
    foot = foot_of(page)
    assert re.search(
        r'<button class="nhsuk-button"[^>]*type="submit"[^>]*>\s*Mark as complete and continue to 1.2', foot
    )
    assert f'href="{WATCH}"' in foot and "Continue without marking" in text_of(foot)
    assert foot.count("<button") == 1  # the one main action


def test_complete_and_continue_lands_on_the_next_step_with_the_confirmation_at_the_top(client, enrolled):
    response = client.post(WELCOME + "/complete", data={"complete": "1"})
    assert response.status_code == 302 and response.location == WATCH
    assert is_complete(enrolled.id, "welcome")
    page = client.get(WATCH).text
    main = main_of(page)
    # The banner opens the main content, above the step's heading: where the learner lands.
    assert main.index("Step 1.1 is marked as complete.") < main.index('id="step-title"')
    assert "nhsuk-notification-banner--success" in main.split('id="step-title"')[0]


def test_complete_and_continue_crosses_into_the_next_module(client, enrolled):
    assert "Mark as complete and continue to 2.1" in text_of(client.get(TALK).text)
    assert client.post(TALK + "/complete", data={"complete": "1"}).location == LOOK_BACK


def test_the_last_step_completes_and_shows_the_progress_page(client, enrolled):
    foot = text_of(foot_of(client.get(LOOK_BACK).text))
    assert "Mark as complete and see your progress" in foot and "See your progress without marking" in foot
    response = client.post(LOOK_BACK + "/complete", data={"complete": "1"})
    assert response.location == "/progress"
    main = text_of(main_of(client.get("/progress").text))
    assert main.startswith("Success Step 2.1 is marked as complete.")


def test_a_completed_step_offers_continue_and_the_undo(client, enrolled):
    completion.set_step_complete(enrolled.id, step_id("welcome"))
    page = client.get(WELCOME).text
    foot = foot_of(page)
    assert "You have completed this step." in text_of(foot)
    assert re.search(rf'<a class="nhsuk-button" href="{WATCH}"[^>]*>\s*Continue to 1.2', foot)
    assert "Mark as not complete" in text_of(foot) and "Mark as complete and continue" not in foot
    assert "Continue to 2.1" not in foot


def test_a_completed_last_step_offers_the_progress_page(client, enrolled):
    completion.set_step_complete(enrolled.id, step_id("look-back"))
    foot = foot_of(client.get(LOOK_BACK).text)
    assert 'href="/progress"' in foot and "See your progress" in text_of(foot)


def test_complete_and_continue_still_refuses_what_it_must(client, enrolled, course):
    assert client.get(WELCOME + "/complete").status_code == 405
    assert client.post("/steps/first-steps/nope/complete", data={"complete": "1"}).status_code == 404


# The module's steps beside the step -------------------------------------------------------


def test_the_step_page_says_where_the_step_is_in_its_module(client, enrolled):
    text = text_of(client.get(WATCH).text)
    assert "Step 2 of 3" in text
    assert "Step 1 of 1" in text_of(client.get(LOOK_BACK).text)


def test_the_module_steps_are_listed_with_ticks_and_the_current_one_marked(client, enrolled):
    completion.set_step_complete(enrolled.id, step_id("welcome"))
    page = client.get(WATCH).text
    steps = module_list_of(page)
    text = text_of(steps)
    assert "Module 1: First steps" in text and "1 of 3 steps complete" in text
    assert "1.1 Welcome Completed" in text and "1.2 Watch this Not completed" in text
    assert "1.3 Talk about it Not completed" in text and "2.1" not in text
    assert re.search(rf'<a href="{WATCH}" aria-current="step"', steps)
    assert steps.count("aria-current") == 1
    assert re.search(r"<ol[^>]*>", steps) and steps.count("<li") == 3
    # On phones the list follows the step: it comes after the step's article in the page.
    assert page.index('id="module-steps"') > page.index('id="progress-actions"')


def test_each_learner_sees_only_their_own_ticks(client, enrolled, sign_in):
    """The list is kept between requests: one learner's ticks never show on another's page."""
    completion.set_step_complete(enrolled.id, step_id("welcome"))
    assert "1.1 Welcome Completed" in text_of(module_list_of(client.get(WATCH).text))
    other = sign_in(make_user())
    text = text_of(module_list_of(other.get(WATCH).text))
    assert "1.1 Welcome Not completed" in text and "0 of 3 steps complete" in text
    # And the first learner's list moves on when they complete another step.
    client.post(WATCH + "/complete", data={"complete": "1"})
    text = text_of(module_list_of(client.get(WATCH).text))
    assert "1.2 Watch this Completed" in text and "2 of 3 steps complete" in text


# Results told truthfully ---------------------------------------------------------------------


def test_a_failed_test_is_not_complete_and_is_shown_in_a_neutral_panel(client, assessed, assessed_course):
    response = answer(client, assessed_course, TEST, TEST_WRONG)
    assert response.location == f"{TEST}/results"
    assert not is_complete(assessed.id, "final-test")
    page = client.get(response.location).text
    main = main_of(page)
    assert "Success" not in main and "nhsuk-notification-banner--success" not in main
    assert "nhsuk-panel" not in main  # the green confirmation panel is for a pass
    panel = main.split('class="nhsuk-card lms-result-panel"', 1)[1].split("</section>", 1)[0]
    text = text_of(panel)
    assert "Not a pass this time" in text and "You scored 0% (0 of 2 right). The pass mark is 50%." in text
    assert "You have 1 attempt left." in text and "Review the steps of this module" in text
    assert 'href="/modules/check-your-learning"' in panel
    # The step's foot says what completes it, and does not claim it is done.
    foot = text_of(foot_of(client.get(TEST).text))
    assert "This step is marked complete when you pass the test." in foot and "You have completed" not in foot


def test_passing_the_test_completes_it_and_is_shown_in_green(client, assessed, assessed_course):
    answer(client, assessed_course, TEST, TEST_HALF)
    assert is_complete(assessed.id, "final-test")
    main = main_of(client.get(f"{TEST}/results").text)
    panel = main.split('class="nhsuk-panel"', 1)[1].split("</div>", 1)[0]
    assert "You passed" in text_of(panel)


def test_a_quiz_below_full_marks_is_shown_neutrally_with_what_to_do_next(client, assessed, assessed_course):
    answer(client, assessed_course, QUIZ, {"colour": ["1"], "values": ["1"]})
    assert is_complete(assessed.id, "quick-quiz")  # sending the answers completes a quiz
    main = main_of(client.get(f"{QUIZ}/results").text)
    assert "Success" not in main and "nhsuk-panel" not in main
    text = text_of(main.split('class="nhsuk-card lms-result-panel"', 1)[1].split("</section>", 1)[0])
    assert "You got 1 of 2 right (50%)" in text
    assert "Read the feedback below, then try the quiz again" in text and "Review the steps of this module" in text


def test_a_quiz_all_right_is_shown_in_green(client, assessed, assessed_course):
    answer(client, assessed_course, QUIZ, {"colour": ["1"], "values": ["1", "2"]})
    main = main_of(client.get(f"{QUIZ}/results").text)
    assert "You got every question right" in text_of(main.split('class="nhsuk-panel"', 1)[1])


def test_a_partly_right_answer_says_how_many_right_options_were_chosen(client, assessed, assessed_course):
    answer(client, assessed_course, QUIZ, {"colour": ["1"], "values": ["1"]})
    text = text_of(client.get(f"{QUIZ}/results").text)
    assert "Question 2: Which of these are behaviours" in text
    second = text.split("Question 2:", 1)[1]
    assert "Partly right" in second and "You chose 1 of the 2 right answers." in second
    assert "Not right" not in second.split("You chose:")[0]


def test_a_partly_right_answer_with_a_wrong_choice_says_so_without_naming_it(client, assessed, assessed_course):
    answer(client, assessed_course, TEST, {"capital": ["2"], "nations": ["1", "2", "3"]})
    text = text_of(client.get(f"{TEST}/results").text)
    second = text.split("Question 2:", 1)[1]
    assert "Partly right" in second and "You chose both right answers, and 1 that is not right." in second
    assert "The right answer" not in text  # a test reveals nothing before it is passed or used up


# The certificate names what is left ------------------------------------------------------------


def test_the_certificate_page_names_the_steps_left_with_links(client, enrolled, course):
    for slug in ("welcome", "talk-about-it"):
        completion.set_step_complete(enrolled.id, step_id(slug))
    page = client.get("/certificate").text
    text = text_of(page)
    assert "Complete 2 more steps: you have completed 2 of 4." in text
    assert "Steps not yet complete:" in text
    assert f'<a href="{WATCH}">1.2 Watch this</a>' in page
    assert f'<a href="{LOOK_BACK}">2.1 Look back</a>' in page
    assert "1.1 Welcome" not in text and "1.3 Talk about it" not in text


def test_the_module_list_costs_the_step_page_no_statement(client, enrolled, count_queries):
    """The ticks come with the learner's own rows, read in the one statement already made."""
    from tests.web.test_query_counts import STEP_PAGE_BUDGET

    client.get(WATCH)
    with count_queries() as before:
        client.get(WATCH)
    for slug in ("welcome", "talk-about-it"):
        completion.set_step_complete(enrolled.id, step_id(slug))
    with count_queries() as after:
        page = client.get(WATCH).text
    assert "2 of 3 steps complete" in text_of(module_list_of(page))
    assert len(after) == len(before) <= STEP_PAGE_BUDGET, "\n".join(after)
    assert sum("step_progress" in statement for statement in after) == 1


def test_a_quizs_mark_can_be_undone_but_a_passed_tests_cannot(client, assessed, assessed_course):
    answer(client, assessed_course, QUIZ, {"colour": ["2"], "values": ["3"]})
    foot = text_of(foot_of(client.get(QUIZ).text))
    assert "You have completed this step." in foot and "Mark as not complete" in foot
    assert client.post(QUIZ + "/complete", data={"complete": "0"}).status_code == 302
    assert not is_complete(assessed.id, "quick-quiz")
    assert client.post(QUIZ + "/complete", data={"complete": "1"}).status_code == 409  # answers mark it, not the button

    answer(client, assessed_course, TEST, TEST_HALF)
    assert "Mark as not complete" not in client.get(TEST).text
    assert client.post(TEST + "/complete", data={"complete": "0"}).status_code == 409
    assert is_complete(assessed.id, "final-test")
