"""Test webhooks for `referbee dev` (and any deployment): events built in Stripe's and
Shopify's own shapes, signed as they sign them, sent one at a time (`referbee hooks send`) or
as a recorded sequence with the rewards it must end in (`referbee hooks replay`)."""
