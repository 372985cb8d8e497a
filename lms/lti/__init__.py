"""LTI 1.3: the course as a tool that an organisation's learning platform launches."""
