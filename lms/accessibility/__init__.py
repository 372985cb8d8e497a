"""The accessibility statement UK public sector bodies must publish."""
