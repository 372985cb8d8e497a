"""Learners' profiles: a person's name, bio and comments, and whether the viewer follows them."""
