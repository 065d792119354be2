"""The referral domain, one package per capability (config, trust, referrals, rewards,
conversions, outbox, analytics, privacy) over model/. Pure Python: no boto3, no Chalice; every
service receives a Context holding the Store."""
