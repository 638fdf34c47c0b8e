"""Models of the inspections feature."""
