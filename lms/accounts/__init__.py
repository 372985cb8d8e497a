"""People: registration, login, account settings, roles."""
