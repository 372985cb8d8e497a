"""Private reflections: written for the learner alone, and their learning record."""
