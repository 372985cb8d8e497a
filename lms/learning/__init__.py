"""Working through the course: joining, visiting and completing steps, progress."""
