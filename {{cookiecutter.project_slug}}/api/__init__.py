"""What every endpoint of this API shares: its OpenAPI description, rate limits, private answers."""
