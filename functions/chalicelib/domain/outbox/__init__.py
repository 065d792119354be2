"""Delivering the outbox: webhooks and reward emails, retried on a schedule."""
