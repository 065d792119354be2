"""Conversions: reading a claim, attributing it, customers, the review queue and refunds."""
