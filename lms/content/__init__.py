"""The course: Markdown files in content/, their validation, import and export."""
