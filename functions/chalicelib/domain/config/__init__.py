"""The program configuration: referbee.yaml validated field by field and parsed into model
types (programs, incentives, fraud rules, site, widget and notification settings)."""
