"""Comments under every step: the thread, replies, likes, bookmarks, following, reports.

Learners' side of the discussion, and the thread as every page shows it. The rooms above it
reach in through its service and its read modules (`threads`, `display`), never the reverse:
moderation (facilitators' decisions), notifications (who is told) and profiles (a person's
comments) all import comments. Comments tells the rooms above it what happened through
`signals`, sent inside the writer's transaction, so it needs to know nothing about them.

Following belongs here: to follow someone is to see their comments (the Following filter)
and to hear when they post.
"""
