"""The leaderboard: masked names, competition ranks, the viewer's own place."""

from __future__ import annotations

import pytest

from chalicelib.domain.analytics.leaderboard import leaderboard_view, mask_name
from chalicelib.domain.config.programs import parse_programs
from chalicelib.domain.context import Context
from chalicelib.domain.trust.signing import Signer
from chalicelib.model.clock import FixedClock
from chalicelib.model.errors import InvalidInputError, NotFoundError
from chalicelib.model.records import Conversion, Referrer
from chalicelib.store.memory import MemoryStore
from tests.common import NOW, SECRET, config_document


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Jane Doe", "Jane D."),
        ("  jane   van der berg ", "jane B."),
        ("Émile Zola", "Émile Z."),
        ("Cher", "Cher"),
        ("", "A referrer"),
        ("jane.doe@example.com", "A referrer"),
        ("Jane jane@example.com Doe", "Jane D."),
        ("Jane 123", "Jane"),
    ],
)
def test_names_are_masked_to_first_name_and_last_initial(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def board_ctx(size: int = 3) -> Context:
    document = config_document()
    document["programs"][0]["site"] = {"leaderboard": True, "leaderboard_size": size}
    return Context(MemoryStore(), parse_programs(document), Signer(SECRET), FixedClock(NOW))


def add(ctx: Context, code: str, name: str, successes: int) -> str:
    ctx.store.referrers.create_referrer(
        Referrer(code, "shop", code, f"{code}@example.com", name, NOW)
    )
    for n in range(successes):
        ctx.store.conversions.record_conversion(
            Conversion("shop", "purchase", f"{code}{n}", code, NOW, successful=True)
        )
    return ctx.signer.stats_token(code)


def test_board_ranks_ties_alike_and_shows_only_masked_names() -> None:
    ctx = board_ctx(size=4)
    add(ctx, "aaa2345", "Ann Archer", 5)
    add(ctx, "bbb2345", "Bob Baker", 3)
    add(ctx, "ccc2345", "Cy Cole", 3)
    add(ctx, "ddd2345", "Di Dunn", 1)
    add(ctx, "eee2345", "Ed Eve", 0)
    board = leaderboard_view(ctx, "shop", None)
    assert [(e["rank"], e["successful_referrals"]) for e in board["leaders"]] == [
        (1, 5),
        (2, 3),
        (2, 3),
        (4, 1),
    ]
    assert board["leaders"][0]["name"] == "Ann A."
    assert board["you"] is None
    text = repr(board)
    assert "@" not in text and "Archer" not in text and "aaa2345" not in text


def test_viewer_in_the_top_gets_their_row_marked_at_no_extra_query() -> None:
    ctx = board_ctx()
    add(ctx, "aaa2345", "Ann Archer", 5)
    token = add(ctx, "bbb2345", "Bob Baker", 3)
    before = ctx.store.requests  # type: ignore[attr-defined]
    board = leaderboard_view(ctx, "shop", token)
    assert ctx.store.requests - before == 2  # type: ignore[attr-defined]
    assert [e["you"] for e in board["leaders"]] == [False, True]
    assert board["you"] == {
        "name": "Bob B.",
        "successful_referrals": 3,
        "rank": 2,
        "rank_exact": True,
        "in_top": True,
    }


def test_viewer_below_the_top_learns_their_rank_from_a_bounded_count() -> None:
    ctx = board_ctx(size=3)
    for index, successes in enumerate([9, 8, 7, 6]):
        add(ctx, f"{'abcd'[index] * 3}2345", f"P{index} Q", successes)
    token = add(ctx, "zzz2345", "Zed Zulu", 2)
    board = leaderboard_view(ctx, "shop", token)
    assert not any(e["you"] for e in board["leaders"])
    assert board["you"]["rank"] == 5 and board["you"]["in_top"] is False


def test_viewer_without_successes_has_no_rank_yet() -> None:
    ctx = board_ctx()
    token = add(ctx, "zzz2345", "Zed Zulu", 0)
    assert leaderboard_view(ctx, "shop", token)["you"]["rank"] is None


def test_foreign_revoked_or_forged_tokens_identify_no_one() -> None:
    ctx = board_ctx()
    add(ctx, "aaa2345", "Ann Archer", 1)
    forged = ctx.signer.stats_token("aaa2345")[:-2] + "aa"
    old_version = ctx.signer.stats_token("aaa2345", version=2)
    other_secret = Signer(b"another-secret-0123456789").stats_token("aaa2345")
    for token in (forged, old_version, other_secret):
        assert leaderboard_view(ctx, "shop", token)["you"] is None
    with pytest.raises(InvalidInputError):
        leaderboard_view(ctx, "shop", "<script>")
    with pytest.raises(InvalidInputError):
        leaderboard_view(ctx, "shop", "a" * 300)


def test_a_program_without_a_leaderboard_has_none() -> None:
    ctx = board_ctx()
    with pytest.raises(NotFoundError, match="no leaderboard"):
        leaderboard_view(ctx, "acme", None)
    with pytest.raises(NotFoundError):
        leaderboard_view(ctx, "nope", None)
