"""Reflective comment threads under every step, and their moderation by facilitators."""
