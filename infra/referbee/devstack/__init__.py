"""`referbee dev`: the whole kit on one machine. stack.py starts and stops it: the embedded
DynamoDB (db.py), the API's worker processes (api.py), the stand-ins for the scheduled and
rollup functions (scheduler.py, streams.py), and a static server (static.py) for the site,
the widget and a demo shop (shop.py)."""
