"""Stripe's events: one module per kind of object (docs/payments.md lists what each reads)."""
