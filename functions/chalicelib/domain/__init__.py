"""The referral domain: programs, codes, clicks, conversions and stats. No boto3, no Chalice."""
