"""What the tests share besides fixtures: the test programs, keys, the fixed time and the user
agents, and installing the test keys in a store (conftest.py builds the fixtures from them)."""

from __future__ import annotations

import copy
from typing import Any

from chalicelib.domain.trust.admin_keys import hash_key
from chalicelib.model.records import AdminKey

SECRET = b"test-secret-0123456789abcdef"
IDENTITY_SECRET = "acme-identity-secret-123"
ADMIN_KEY = "rk_test_admin_key_0123456789"
READ_KEY = "rk_test_read_key_0123456789"
OTHER_PROGRAM_KEY = "rk_test_other_program_key_0123"
NOW = 1_795_000_000.0  # 2026-11-18T09:46:40Z
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)

CONFIG: dict[str, Any] = {
    "programs": [
        {
            "id": "shop",
            "name": "Test Shop",
            "landing_url": "https://shop.example.com/welcome?utm_source=referbee#top",
            "allowed_hosts": ["shop.example.com", "www.shop.example.com"],
            "landing_pages": {"sale": "https://www.shop.example.com/sale"},
            "currency": "EUR",
            "rewards": {
                "referrer": {"text": "EUR 10 credit", "kind": "credit", "amount": 10},
                "friend": {"text": "15% off", "kind": "percent", "percent": 15},
            },
            "emails": {"from": "Test Shop <rewards@shop.example.com>"},
        },
        {
            "id": "acme",
            "name": "Acme",
            "landing_url": "https://acme.example/",
            "identity_secret": IDENTITY_SECRET,
            "attribution_window_days": 7,
            "rewards": {
                "referrer": {"text": "500 points", "kind": "points", "points": 500},
                "friend": {"text": "A free sample", "kind": "coupon"},
            },
        },
    ]
}


def config_document() -> dict[str, Any]:
    return copy.deepcopy(CONFIG)


def install_keys(store: Any) -> None:
    store.admin_keys.put_admin_key(AdminKey(hash_key(ADMIN_KEY), "test", ("*",), "write", NOW))
    store.admin_keys.put_admin_key(AdminKey(hash_key(READ_KEY), "reader", ("*",), "read", NOW))
    store.admin_keys.put_admin_key(
        AdminKey(hash_key(OTHER_PROGRAM_KEY), "acme only", ("acme",), "write", NOW)
    )
