"""What every endpoint of this API shares.

Its OpenAPI description, rate limits, private answers, https only, and the 503 of an outage.
"""
