"""What happened on a learner's journey, for the features above to act on (lms.xapi tells
the organisation's learning record store) without learning importing them.

Receivers run synchronously inside the sender's unit of work, before its one commit: rows
they add are committed with the action, or rolled back with it.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the course id and `user_ids`, the people who have just joined it (never again
# for someone who had joined already).
course_joined = _signals.signal("course-joined")
# Sent with the step id and `user_id` when a visit is written (not on a reread within a minute).
step_opened = _signals.signal("step-opened")
# Sent with the step id and `user_id` when the step becomes complete (not when it already was).
# A feature whose own write completes a step (an answer sheet) says so in its own signal.
step_completed = _signals.signal("step-completed")
