"""What happened to self-assessments, for the features above to act on without assessment
importing them.

Receivers run synchronously inside the sender's unit of work, before its one commit: rows
they add are committed with the response, or rolled back with it. lms.facilitation is the
receiver today: it takes a new batch of the cohort's figures when one is due (its service
connects when imported, which create_app does).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the new SelfAssessmentResponse, added to the session and not yet committed.
self_assessment_taken = _signals.signal("self-assessment-taken")

# Sent with each new QuizAttempt (quiz or test), added to the session and not yet committed,
# with the step's type and the person's best score on the step including this attempt.
quiz_attempted = _signals.signal("quiz-attempted")
