"""The HTTP API: Chalice blueprints, one per area, registered on the app by
`application.create_app`.

This package imports nothing by itself: Lambda imports each function's handler module
directly (`chalicelib.api.function_url.serve_links` for the click function), so a function
loads only what its handler imports, not every route of the API."""
