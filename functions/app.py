"""The referbee API on AWS Lambda: the app and its routes. Everything else is in chalicelib."""

from chalicelib.api.application import create_app

app = create_app()
