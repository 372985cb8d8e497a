"""The step page: where every feature meets, so it sits above them all.

It composes what the features' services return (the step's content, the learner's
completion, and in later features the comment thread, the quiz or self-assessment and
private reflections); each feature keeps its own POST routes.
"""
