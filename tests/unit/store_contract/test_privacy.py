"""A person's data on both twins: erasure keeps the counts; forgetting an identity lets it
convert again."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.model.ledger import ConversionEffects, EffectsRejectedError, Tally
from tests.common import NOW
from tests.unit.store_contract.records import jane, jane_purchase, purchases_of


def test_erasure_keeps_counts(store: Any) -> None:
    store.referrers.create_referrer(jane())
    store.conversions.record_conversion(
        jane_purchase(identity="id-kim", customer="ckim"), ConversionEffects()
    )
    store.privacy.erase_referrer("abc2345", "shop", "ek1")
    erased = store.referrers.get_referrer("abc2345")
    assert (erased.email, erased.name, erased.identity, erased.visitor) == ("", "", "", "")
    assert erased.token_version == 2
    assert store.referrers.find_referrer("shop", "ek1") is None
    conversion = store.conversions.get_conversion("shop", "purchase", "1")
    store.privacy.erase_customer(conversion)
    cleared = store.conversions.get_conversion("shop", "purchase", "1")
    assert (cleared.identity, cleared.customer) == ("", "")
    assert store.privacy.person_orders("shop", "id-kim") == []
    store.privacy.forget_identity("shop", "id-kim", "ckim")
    assert purchases_of(store) == 1


def test_forgetting_an_identity_lets_it_convert_as_new_again(store: Any) -> None:
    store.referrers.create_referrer(jane())
    once = Tally("shop", "duplicate_email_purchase", "id-kim", "all", 1, int(NOW) + 86400)
    effects = ConversionEffects(first_purchase="ckim", tallies=(once,))
    store.conversions.record_conversion(jane_purchase("1"), effects)
    with pytest.raises(EffectsRejectedError) as caught:
        store.conversions.record_conversion(jane_purchase("2"), effects)
    assert caught.value.rejection.not_first_purchase
    assert caught.value.rejection.tallies_over == {"duplicate_email_purchase"}
    store.privacy.forget_identity("shop", "id-kim", "ckim")
    assert store.conversions.record_conversion(jane_purchase("2"), effects)[1]
