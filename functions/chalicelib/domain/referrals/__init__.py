"""Referrers and their links: issuing codes, clicks and redirects, identity checks and the
public sharing routes."""
