"""The audit log: who did what to what, when and why, for every admin and moderation action."""
