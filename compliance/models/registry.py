"""Models of the registry feature."""
