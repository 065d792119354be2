"""Referred customers: who referred them, when they first bought, and how many purchases they
made since. A purchase names its customer by the shop's `customer_id` (or the visitor); the
first one creates the customer, later ones are counted on it, in the conversion's own
transaction. Each conversion keeps when its customer first bought and which purchase it is,
so repeat purchases and revenue per customer are rolled up from conversions alone
(domain/analytics/rollups.py)."""

from __future__ import annotations

from dataclasses import replace

from ...model.errors import UnknownCustomerError
from ...model.ledger import ConversionEffects, CustomerBump, Rejection
from ...model.program import Program
from ...model.records import Conversion, CustomerProfile
from ..context import Context


class CustomerPurchases:
    """Most referred purchases are a customer's first, so none is read up front: the write
    assumes a new customer (or the `profile` already read), and a customer who bought before
    fails that condition and comes back as they are, for the next round."""

    def __init__(
        self,
        ctx: Context,
        program: Program,
        customer: str,
        *,
        wanted: bool,
        profile: CustomerProfile | None = None,
    ) -> None:
        self.ctx, self.program, self.customer = ctx, program, customer
        self.known = wanted and bool(customer)
        self.profile = profile

    @property
    def prior(self) -> CustomerProfile | None:
        """The customer as they were before this purchase, when they bought before: this one
        is a repeat purchase, not a new referral."""
        profile = self.profile
        return profile if self.known and profile is not None and profile.purchases else None

    def count(
        self, conversion: Conversion, effects: ConversionEffects
    ) -> tuple[Conversion, ConversionEffects]:
        """The conversion with its customer's place, and the effect that records it."""
        if conversion.event != "purchase":
            return replace(conversion, customer=self.customer), effects
        if not self.known:
            # Nobody to recognise later: the purchase is a customer of its own.
            alone = replace(conversion, customer_first_at=conversion.created_at, customer_seq=1)
            return alone, effects
        profile = self.profile
        first_at = profile.first_at if profile else conversion.created_at
        before = profile.purchases if profile else 0
        code = profile.code if profile else conversion.code
        counted = replace(
            conversion, customer=self.customer, customer_first_at=first_at, customer_seq=before + 1
        )
        bump = CustomerBump(self.customer, code, first_at, before)
        return counted, replace(effects, customer=bump)

    def learn(self, rejection: Rejection) -> None:
        """The customer was not as assumed: take them as the store saw them."""
        if not rejection.customer_moved:
            return
        if rejection.customer is None:
            self.profile = self.ctx.store.conversions.get_customer(self.program.id, self.customer)
            return
        code, first_at, purchases = rejection.customer
        self.profile = CustomerProfile(self.program.id, self.customer, code, first_at, purchases)


def referred_customer(ctx: Context, program: Program, customer: str) -> CustomerProfile:
    """A customer named without a referral: who referred them is on record, or 400."""
    profile = ctx.store.conversions.get_customer(program.id, customer) if customer else None
    if profile is None:
        raise UnknownCustomerError(
            f"No referral is on record for this customer_id in program '{program.id}': send "
            "'ref' or 'click_id' (the customer's first referred purchase records it)."
        )
    return profile
