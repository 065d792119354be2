"""Positions in a GSI1 listing: the cursor a page of results hands out, and the start key it
gives back, refused unless it belongs to the listing it is used on."""

from __future__ import annotations

import json

from ..model.errors import InvalidInputError
from .attrs import Item, s

_PAGE_KEYS = ("PK", "SK", "GSI1PK", "GSI1SK")


def page_cursor(last_key: Item) -> str:
    """Where the next page of a GSI1 listing starts: the key of the last item read."""
    return json.dumps({name: str(last_key[name]["S"]) for name in _PAGE_KEYS})


def page_start(cursor: str, partition: str) -> Item:
    """The ExclusiveStartKey of a cursor from page_cursor, refused (InvalidInputError) unless
    it is one and belongs to this listing's partition."""
    try:
        raw = json.loads(cursor)
    except ValueError:
        raw = None
    valid = (
        isinstance(raw, dict)
        and set(raw) == set(_PAGE_KEYS)
        and all(isinstance(value, str) and 0 < len(value) <= 1024 for value in raw.values())
        and raw["GSI1PK"] == partition
    )
    if not isinstance(raw, dict) or not valid:
        raise InvalidInputError("The cursor does not belong to this listing.")
    return {name: s(str(value)) for name, value in raw.items()}
