"""The learner's own record: the learning record for revalidation, and their data."""
