"""Facilitators keep threads kind and safe: the queue of reported comments and review
requests, hide and restore with a reason the author sees, highlights, and locked threads.
It sits above comments and notifications, and writes each decision to the audit log."""
