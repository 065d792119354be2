"""A program's incentive settings from referbee.yaml: reward rules, tiers, limits, the hold
period, the attribution model, webhooks and emails. Validated with the same FieldReader as the
rest of the program, so every problem names the program and the field.

The original shape `rewards: {referrer: {text, kind, ...}, friend: {...}}` stays valid: each
side is one rule, triggered by the program's success event.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...model.currencies import CURRENCIES
from ...model.incentives import Incentives, Limits, Reward, RewardRule, Tier
from .fields import FieldReader
from .notifications import parse_emails, parse_webhooks

EVENTS = ("signup", "purchase")
SIDES = ("referrer", "friend")
ATTRIBUTION_MODELS = ("last_click", "first_click", "linear", "time_decay")
RULE_FIELDS = ("event", "min_amount", "first_purchase_only", "pool")
POLICY_FIELDS = ("hold_days", "tiers", "limits")
PROGRAM_FIELDS = ("attribution_model", "attribution_half_life_days", "webhooks", "emails")
POOL_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
REWARD_KINDS = ("credit", "percent", "coupon", "points")
_REWARD_FIELDS = ("text", "kind", "amount", "currency", "percent", "points", *RULE_FIELDS)


def parse_incentives(
    reader: FieldReader,
    data: Mapping[str, Any],
    path: str,
    *,
    currency: str,
    success_event: str,
    side_rewards: Mapping[str, Reward],
    locale: str = "en",
) -> Incentives:
    """Everything about rewards and notifications in one program's config. The two sides'
    rewards (`side_rewards`, from `parse_reward`) are the program's own fields; this adds
    when each one triggers. Default email texts are in the program's `locale`."""
    rewards = reader.mapping(data.get("rewards"), f"{path}.rewards")
    rules = tuple(
        _parse_rule(
            reader, rewards.get(side), f"{path}.rewards.{side}", side_rewards[side], success_event
        )
        for side in SIDES
    )
    model = reader.text(data, "attribution_model", path, default="last_click")
    if model not in ATTRIBUTION_MODELS:
        reader.fail(
            f"{path}.attribution_model", f"'{model}' is not one of {', '.join(ATTRIBUTION_MODELS)}"
        )
    half_life = Decimal(7)
    if data.get("attribution_half_life_days") is not None:
        half_life = reader.decimal(
            data, "attribution_half_life_days", path, low=Decimal("0.01"), high=Decimal(365)
        ) or Decimal(7)
    return Incentives(
        rules=tuple(rule for rule in rules if rule is not None),
        hold_days=reader.integer(
            rewards, "hold_days", f"{path}.rewards", default=0, low=0, high=365
        ),
        tiers=_parse_tiers(reader, rewards.get("tiers"), f"{path}.rewards.tiers", currency),
        limits=_parse_limits(reader, rewards.get("limits"), f"{path}.rewards.limits"),
        attribution_model=model,
        half_life_days=half_life,
        webhooks=parse_webhooks(reader, data.get("webhooks"), f"{path}.webhooks"),
        emails=parse_emails(reader, data.get("emails"), f"{path}.emails", locale),
    )


def parse_reward(reader: FieldReader, raw: Any, path: str, currency: str) -> Reward:
    if raw is None:
        reader.fail(
            path,
            "is required: say what this side gets, "
            "e.g. {text: '$10 credit', kind: credit, amount: 10}",
        )
        return Reward(text="", kind="credit")
    data = reader.mapping(raw, path)
    reader.only_known(data, _REWARD_FIELDS, path)
    text = reader.text(data, "text", path, max_len=120)
    kind = reader.text(data, "kind", path, default="credit")
    if kind not in REWARD_KINDS:
        reader.fail(f"{path}.kind", f"'{kind}' is not one of {', '.join(REWARD_KINDS)}")
        return Reward(text=text, kind=kind)
    if kind == "credit":
        reward_currency = reader.text(data, "currency", path, default=currency).upper()
        # Without its own currency the reward takes the program's, which is checked there.
        if "currency" in data and reward_currency not in CURRENCIES:
            reader.fail(f"{path}.currency", f"'{reward_currency}' is not an ISO 4217 currency code")
        amount = reader.decimal(data, "amount", path, low=Decimal(0), high=Decimal(1_000_000))
        return Reward(text=text, kind=kind, amount=amount, currency=reward_currency)
    if kind == "percent":
        percent = reader.decimal(data, "percent", path, low=Decimal(0), high=Decimal(100))
        return Reward(text=text, kind=kind, percent=percent)
    if kind == "points":
        points = reader.integer(data, "points", path, default=0, low=1, high=10_000_000)
        return Reward(text=text, kind=kind, points=points)
    return Reward(text=text, kind=kind)


def _parse_rule(
    reader: FieldReader, raw: Any, path: str, reward: Reward, success_event: str
) -> RewardRule | None:
    if not isinstance(raw, Mapping):
        return None
    side = path.rsplit(".", 1)[1]
    event = reader.text(raw, "event", path, default=success_event)
    if event not in EVENTS:
        reader.fail(f"{path}.event", f"'{event}' is not one of {', '.join(EVENTS)}")
    min_amount = None
    if raw.get("min_amount") is not None:
        min_amount = reader.decimal(raw, "min_amount", path, low=Decimal(0), high=Decimal(10**9))
        if event != "purchase":
            reader.fail(f"{path}.min_amount", "only applies to rewards for a purchase")
    first_only = reader.boolean(raw, "first_purchase_only", path, default=False)
    if first_only and event != "purchase":
        reader.fail(f"{path}.first_purchase_only", "only applies to rewards for a purchase")
    return RewardRule(
        side=side,
        reward=reward,
        event=event,
        min_amount=min_amount,
        first_purchase_only=first_only,
        pool=_pool(reader, raw, path),
    )


def _parse_tiers(reader: FieldReader, raw: Any, path: str, currency: str) -> tuple[Tier, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.fail(path, "must be a list of tiers, e.g. [{name: Silver, at: 3, reward: {...}}]")
        return ()
    tiers: list[Tier] = []
    for index, item in enumerate(raw):
        where = f"{path}[{index}]"
        data = reader.mapping(item, where)
        reader.only_known(data, ("name", "at", "badge", "reward"), where)
        name = reader.text(data, "name", where, max_len=40)
        at = reader.integer(data, "at", where, default=0, low=1, high=1_000_000)
        if "at" not in data:
            reader.fail(f"{where}.at", "is required: the number of successful referrals")
        badge = reader.text(data, "badge", where, default=name, max_len=40)
        reward = parse_reward(reader, data.get("reward"), f"{where}.reward", currency)
        reward_data = data.get("reward")
        reward_data = reward_data if isinstance(reward_data, Mapping) else {}
        for field_name in ("event", "min_amount", "first_purchase_only"):
            if field_name in reward_data:
                reader.fail(f"{where}.reward.{field_name}", "does not apply to a tier's reward")
        if reward.kind == "percent":
            reader.fail(f"{where}.reward.kind", "a tier's reward is credit, coupon or points")
        pool = _pool(reader, reward_data, f"{where}.reward")
        for other in tiers:
            if other.at == at:
                reader.fail(f"{where}.at", f"{at} overlaps tier '{other.name}' (also at {at})")
            if other.name.lower() == name.lower():
                reader.fail(f"{where}.name", f"'{name}' is used by two tiers")
        tiers.append(Tier(name=name, at=at, badge=badge, reward=reward, pool=pool))
    return tuple(sorted(tiers, key=lambda tier: tier.at))


def _parse_limits(reader: FieldReader, raw: Any, path: str) -> Limits:
    data = reader.mapping(raw, path)
    reader.only_known(data, ("per_referrer", "per_month"), path)
    values = [
        reader.integer(data, name, path, default=0, low=1, high=1_000_000) if name in data else None
        for name in ("per_referrer", "per_month")
    ]
    return Limits(per_referrer=values[0], per_month=values[1])


def _pool(reader: FieldReader, data: Mapping[str, Any], path: str) -> str:
    pool = reader.text(data, "pool", path, default="default", max_len=32)
    if not POOL_RE.fullmatch(pool):
        reader.fail(f"{path}.pool", f"'{pool}' must be 1-32 lower-case letters, digits, - or _")
    if pool != "default" and data.get("kind") != "coupon":
        reader.fail(f"{path}.pool", "only applies to rewards of kind coupon")
    return pool
