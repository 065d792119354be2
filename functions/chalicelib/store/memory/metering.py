"""How many requests the in-memory twin counts: for each Store method, what the DynamoDB twin
sends for one call in its common path, declared once here and counted in one place (the
`metered` class decorator). tests/unit/store_contract/ checks every cost against the requests
the DynamoDB twin makes on moto; what DynamoDB pays besides (a touchpoint compaction, a
repeated conversion read back) only the DynamoDB twin shows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, Final, ParamSpec, Protocol, TypeVar

from .shared import State

REQUESTS: Final[dict[str, int]] = {
    # referrers
    "find_referrer": 1,
    "create_referrer": 1,  # two when the mail's tally is at its limit
    "rotate_token": 1,
    "get_referrer": 1,
    "get_referrers": 1,
    "read_code": 1,
    "read_referrer_page": 1,
    "read_counters": 1,
    "set_email_opt_out": 1,
    "list_referrers": 1,
    "top_referrers": 1,
    "count_referrers_above": 1,
    # clicks
    "claim_visit": 1,
    "touchpoints": 1,
    # conversions and reviews: one transaction each
    "record_conversion": 1,
    "get_conversion": 1,
    "confirm_conversion": 1,
    "get_customer": 1,
    "refund_conversion": 1,
    "list_conversions": 1,
    "list_reviews": 1,
    "approve_conversion": 1,
    "reject_conversion": 1,
    # rewards and coupons
    "get_rewards": 1,
    "list_rewards": 1,
    "page_rewards": 1,
    "change_rewards": 1,
    "add_coupons": 1,  # per 50 coupons
    "free_coupons": 1,
    "pool_counts": 2,  # one count of free coupons, one of used ones
    # the outbox
    "due_messages": 1,
    "lease_message": 1,
    "finish_delivery": 1,
    "delivery_log": 1,
    "queue_message": 1,
    # admin keys and limits
    "get_admin_key": 1,
    "put_admin_key": 1,
    "delete_admin_key": 1,
    "list_admin_keys": 1,
    "revoke_admin_key": 1,
    "hit_rate": 1,
    # privacy
    "person_orders": 1,
    "erase_referrer": 2,  # the referrer's item, then their email index
    "erase_customer": 2,  # the conversion, then its person index line
    "forget_identity": 3,  # two identity tallies and a first-purchase marker
    # payments: the webhooks' receipts and facts
    "get_receipt": 1,
    "keep_receipt": 1,
    "meet": 1,
    "facts": 1,
    "erase_tallies": 1,  # one transaction (none when there is nothing to erase)
    # rollups
    "rollup_marker": 1,
    "active_days": 1,
    "apply_rollup": 1,
    "read_rollups": 1,
    # sign-in links
    "create_signin": 1,
    "spend_signin": 1,
}

P = ParamSpec("P")
R = TypeVar("R")


class Capability(Protocol):
    _state: State


C = TypeVar("C", bound=Capability)


def metered(cls: type[C]) -> type[C]:
    """Count REQUESTS[name] in the state on every call of each public method of a capability
    (a method without a declared cost fails here, at import)."""
    for name, method in list(vars(cls).items()):
        if callable(method) and not name.startswith("_"):
            setattr(cls, name, _counted(method, REQUESTS[name]))
    return cls


def _counted(method: Callable[Concatenate[C, P], R], cost: int) -> Callable[Concatenate[C, P], R]:
    def counted(self: C, /, *args: P.args, **kwargs: P.kwargs) -> R:
        self._state.requests += cost
        return method(self, *args, **kwargs)

    functools.update_wrapper(counted, method)
    return counted
