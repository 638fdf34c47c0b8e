"""Models of the billing feature."""
