"""Models of the jobs feature."""
