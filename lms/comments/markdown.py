"""Comment Markdown: the learners' subset, shared with private reflections, lives in
lms.content.learner_markdown (a lower layer both features may use); the limit is the comments'."""

from __future__ import annotations

from lms.content.learner_markdown import normalise  # noqa: F401  (the text as stored and counted)
from lms.content.learner_markdown import render_learner_markdown as render_comment  # noqa: F401

MAX_LENGTH = 5000
