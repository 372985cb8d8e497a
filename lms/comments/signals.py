"""What happened to comments, for the features above to act on without comments importing them.

Receivers run synchronously inside the sender's unit of work, before its one commit: rows
they add are committed with the comment, or rolled back with it. lms.notifications is the
receiver today (its service connects when imported, which create_app does).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the new Comment; `parent` is the Comment it replies to, or None.
comment_posted = _signals.signal("comment-posted")
# Sent with the Comment the first time `by` (a User) likes it.
comment_liked = _signals.signal("comment-liked")
# Sent with a Comment that has just joined the moderation queue: `by` (a User) reported it
# (`reason` is one of rules.REASONS), or its author asked for a review (reason "review").
comment_flagged = _signals.signal("comment-flagged")
