"""Facilitators follow and support their cohorts, without seeing anything private."""
