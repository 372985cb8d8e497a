"""The progress page: steps done per module, test scores, self-assessment results and the
certificate. It composes learning, assessment and certificates, so it sits above them."""
