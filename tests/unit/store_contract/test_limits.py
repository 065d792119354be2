"""Tallies on both twins: rule tallies stop a conversion at their limit; rate limits count."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from chalicelib.model.ledger import ConversionEffects, EffectsRejectedError, Tally
from tests.common import NOW
from tests.unit.store_contract.records import jane, jane_purchase


def test_tallies_stop_at_their_limit(store: Any) -> None:
    store.referrers.create_referrer(jane())
    tally = Tally("shop", "velocity_referrer", "abc2345", "h1", 2, int(NOW) + 60)
    for order in ("1", "2"):
        store.conversions.record_conversion(
            jane_purchase(order), ConversionEffects(tallies=(tally,))
        )
    with pytest.raises(EffectsRejectedError) as caught:
        store.conversions.record_conversion(jane_purchase("3"), ConversionEffects(tallies=(tally,)))
    assert caught.value.rejection.tallies_over == {"velocity_referrer"}
    assert store.conversions.get_conversion("shop", "purchase", "3") is None
    unlimited = replace(tally, limit=None)
    store.conversions.record_conversion(jane_purchase("3"), ConversionEffects(tallies=(unlimited,)))
    assert store.limits.hit_rate(replace(tally, rule="rate_stats", limit=None)) == 1
    assert store.limits.hit_rate(replace(tally, rule="rate_stats", limit=None)) == 2


def test_rate_windows_are_erased_with_the_address_they_count(store: Any) -> None:
    counted = Tally("shop", "rate_signin_email", "ek1", "3600:1", None, int(NOW) + 7200)
    other = replace(counted, subject="ek2")
    for tally in (counted, counted, other):
        store.limits.hit_rate(tally)
    store.privacy.erase_tallies([counted, replace(counted, window="3600:0")])
    assert store.limits.hit_rate(counted) == 1  # counting starts afresh
    assert store.limits.hit_rate(other) == 2  # another address's window is untouched
