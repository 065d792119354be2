"""Shopify's webhooks: orders paid and refunds (docs/payments.md lists what each reads)."""
