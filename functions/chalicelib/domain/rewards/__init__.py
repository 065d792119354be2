"""Rewards: what rules and tiers grant, the engine that issues them with a conversion,
coupons, approvals after the hold, the events they announce and a referrer's standing."""
