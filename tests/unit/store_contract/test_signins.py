"""Sign-in links and limited mails on both twins: a link is stored with its message and spent
once, only by its program and before it expires; a mail goes out only under its tally's limit,
alone or with a new referrer; a token version moves once from the version read."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from chalicelib.model.ledger import LimitedMessage, OutboxMessage, Tally
from chalicelib.model.records import SigninLink
from tests.common import NOW
from tests.unit.store_contract.records import referrer

LINK = SigninLink("h" * 40, "shop", "abc2345", NOW, int(NOW) + 1800)


def mail(event_id: str, limit: int = 2) -> LimitedMessage:
    message = OutboxMessage(event_id, "email", "shop", "stats_link", "{}", NOW, NOW, "abc2345")
    tally = Tally("shop", "rate_join_email", "ek-abc2345", "3600:1", limit, int(NOW) + 7200)
    return LimitedMessage(message, tally)


def test_a_signin_link_is_stored_with_its_message_and_spent_once(store: Any) -> None:
    message = OutboxMessage("ev_s1", "email", "shop", "sign_in", "{}", NOW, NOW, "abc2345")
    store.signins.create_signin(LINK, message)
    assert [m.event_id for m in store.outbox.due_messages(NOW)] == ["ev_s1"]
    assert store.signins.spend_signin(LINK.token_hash, "acme", NOW) is None  # not acme's
    assert store.signins.spend_signin("x" * 40, "shop", NOW) is None  # unknown
    assert store.signins.spend_signin(LINK.token_hash, "shop", NOW) == "abc2345"
    assert store.signins.spend_signin(LINK.token_hash, "shop", NOW) is None  # spent


def test_a_signin_link_expires_even_before_ttl_deletes_it(store: Any) -> None:
    message = OutboxMessage("ev_s2", "email", "shop", "sign_in", "{}", NOW, NOW, "abc2345")
    store.signins.create_signin(LINK, message)
    assert store.signins.spend_signin(LINK.token_hash, "shop", LINK.expires_at) is None
    assert store.signins.spend_signin(LINK.token_hash, "shop", LINK.expires_at - 1) == "abc2345"


def test_of_concurrent_spends_exactly_one_gets_the_code(store: Any) -> None:
    message = OutboxMessage("ev_s3", "email", "shop", "sign_in", "{}", NOW, NOW, "abc2345")
    store.signins.create_signin(LINK, message)
    results: list[str | None] = []
    start = threading.Barrier(8)

    def spend() -> None:
        start.wait()
        results.append(store.signins.spend_signin(LINK.token_hash, "shop", NOW))

    threads = [threading.Thread(target=spend) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=str) == [None] * 7 + ["abc2345"]


def test_a_limited_mail_is_queued_until_its_tally_is_full(store: Any) -> None:
    assert store.outbox.queue_message(mail("ev_m1")) is True
    assert store.outbox.queue_message(mail("ev_m2")) is True
    assert store.outbox.queue_message(mail("ev_m3")) is False  # two an hour
    assert sorted(m.event_id for m in store.outbox.due_messages(NOW)) == ["ev_m1", "ev_m2"]


def test_a_new_referrer_takes_its_mail_along_unless_the_tally_is_full(store: Any) -> None:
    assert store.referrers.create_referrer(referrer(), mail("ev_n1", limit=1)) is True
    assert [m.event_id for m in store.outbox.due_messages(NOW)] == ["ev_n1"]
    other = referrer("xyz2345")
    assert store.referrers.create_referrer(other, mail("ev_n2", limit=1)) is False  # full
    assert store.referrers.get_referrer("xyz2345") == other  # created all the same
    assert [m.event_id for m in store.outbox.due_messages(NOW)] == ["ev_n1"]
    assert store.referrers.create_referrer(referrer("def2345")) is False  # no mail asked


def test_a_token_version_moves_once_from_the_version_read(store: Any) -> None:
    jane = referrer()
    assert store.referrers.rotate_token(jane) is False  # no such referrer
    store.referrers.create_referrer(jane)
    assert store.referrers.rotate_token(jane) is True
    assert store.referrers.get_referrer("abc2345").token_version == 2
    found = store.referrers.find_referrer("shop", jane.email_key, consistent=True)
    assert found.token_version == 2  # the email index moved with it
    assert store.referrers.rotate_token(jane) is False  # read as 1: moved meanwhile
    assert store.referrers.rotate_token(replace(jane, token_version=2)) is True
    assert store.referrers.get_referrer("abc2345").token_version == 3
