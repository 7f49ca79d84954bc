"""Daily statistics rollups arrive with the Statistics screen."""
