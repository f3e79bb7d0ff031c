"""Questionnaires: building, distributing, answering and counting surveys."""
