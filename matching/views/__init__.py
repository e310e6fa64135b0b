"""Views of matching: the participant's side and the coordinator's side."""
