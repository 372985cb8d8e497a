"""Cohorts: groups of learners who take the course together, with their facilitators."""
