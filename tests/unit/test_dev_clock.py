"""`referbee dev`'s clock can be moved by tests with a clock offset file; a deployed function's
clock cannot, whatever its environment says."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from chalicelib.api.deps import clock_of
from chalicelib.model.clock import OffsetClock, SystemClock
from chalicelib.settings import Settings


def test_the_offset_file_moves_the_clock_and_is_read_again_when_it_changes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "clock-offset"
    clock = OffsetClock(path)
    assert abs(clock.now() - time.time()) < 1  # no file: no offset
    path.write_text("1801")
    assert abs(clock.now() - time.time() - 1801) < 1
    path.write_text("-60.5\n")
    assert abs(clock.now() - time.time() + 60.5) < 1
    path.write_text("soon")
    assert abs(clock.now() - time.time()) < 1  # not a number: no offset
    path.unlink()
    assert abs(clock.now() - time.time()) < 1


def test_only_a_stack_on_a_local_database_reads_the_offset_file(tmp_path: Path) -> None:
    local = Settings(
        table="t",
        region="us-east-1",
        dynamodb_endpoint="http://127.0.0.1:8002",
        secret="s" * 32,
        programs_file=tmp_path / "programs.json",
        api_url=None,
        site_url="",
        clock_offset_file=tmp_path / "clock-offset",
    )
    assert isinstance(clock_of(local), OffsetClock)
    deployed = replace(local, dynamodb_endpoint=None)
    assert isinstance(clock_of(deployed), SystemClock)
    assert isinstance(clock_of(replace(local, clock_offset_file=None)), SystemClock)
