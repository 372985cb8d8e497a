"""Telling learners what happened near their comments: replies, likes, new comments from
people they follow, and facilitators' decisions.

Notifications sit above comments, since the page lists comments' steps and followers are
comments' rows. Comments must still notify when someone posts or likes, without importing
upwards: it sends blinker signals (lms.comments.signals), and service.py, connected when
imported (create_app imports it with the blueprint), receives them inside the poster's
transaction, so the notification commits or rolls back with the comment. Moderation, above
both, calls `service.notify` directly.
"""
