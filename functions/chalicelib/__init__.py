"""referbee's Lambda code: the HTTP API (api), the referral domain (domain), and storage (store)."""
