"""Investigation activities, findings and opinions from deputies and the public."""
