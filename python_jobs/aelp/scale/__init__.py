"""The scale benchmark: pipeline cost as the account grows (``aelp bench scale``)."""
