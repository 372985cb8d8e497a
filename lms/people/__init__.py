"""Admins manage people: accounts, roles, and cohorts. Every change is audited."""
