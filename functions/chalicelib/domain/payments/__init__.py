"""Payments: Stripe and Shopify webhooks as trusted reports of purchases, refunds, disputes and
subscriptions (docs/payments.md). A verified event is dispatched by its type to one small
handler (dispatch.py); purchases go through the same recording and confirmation step as the
conversions API, refunds and disputes through the same refund path."""
