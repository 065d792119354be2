"""The admin API from the command line: a small HTTP client (client.py), coupon files
(coupons.py) and the lines the commands print for the API's lists (listings.py).

Commands talk to the API, not to the database, so the same command works against
`referbee dev` and a deployed stack; the API address defaults to the running `referbee dev`."""
