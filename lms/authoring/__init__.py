"""Admins write and publish the course in the browser, with revisions."""
