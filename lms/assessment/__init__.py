"""Self-assessments, quizzes and the test: answer sheets, scores and their history."""
