"""A person's data: export it, or forget them (docs/privacy.md)."""
