"""What happened to self-assessments, for the features above to act on without assessment
importing them.

Receivers run synchronously inside the sender's unit of work, before its one commit: rows
they add are committed with the response, or rolled back with it. lms.facilitation is the
receiver of self-assessments: it takes a new batch of the cohort's figures when one is due
(its service connects when imported, which create_app does); lms.xapi tells the learning
record store of both.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the new SelfAssessmentResponse, added to the session and not yet committed.
self_assessment_taken = _signals.signal("self-assessment-taken")

# Sent with each new QuizAttempt (quiz or test), added to the session and not yet committed:
# `step` is its StepSummary, `completed` whether this attempt completed the step, `best` the
# person's best score on the step including this attempt, `passed` whether any attempt passed.
quiz_answered = _signals.signal("quiz-answered")
