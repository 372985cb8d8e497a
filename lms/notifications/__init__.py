"""Telling learners what happened near their comments: replies, likes, new comments from
people they follow, and facilitators' decisions. See service.py for how it hears of them."""
