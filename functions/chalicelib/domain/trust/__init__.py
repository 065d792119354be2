"""What keeps the program honest: secrets-derived signatures, fraud screening, look-alike
emails, bots, rate limits, admin keys and the browser origins allowed to call."""
