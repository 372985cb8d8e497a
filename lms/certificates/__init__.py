"""Certificates of achievement: who may claim one, the printable certificate, public checks."""
