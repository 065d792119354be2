"""Who may see a referrer's private stats: customers joining with just an email (their stats
link goes to that address), sign-in links sent by email, and rotating a stats token.
docs/security.md says what each reveals and why."""
