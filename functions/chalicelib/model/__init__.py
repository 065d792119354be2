"""The leaf of chalicelib: records and their statuses, ledger and analytics value types, the
parsed program configuration, the Store protocol, errors and the clock. Imports nothing else
of chalicelib."""
