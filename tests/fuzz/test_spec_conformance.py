"""Schemathesis reads docs/openapi.yaml and sends what it describes, and what it rules out,
to `referbee dev` over real HTTP: no 5xx, answers and content types as documented, every
request the spec calls invalid refused, and 405 for methods a route does not have. The spec
and the API stay one thing.

Not checked: that every request the spec allows is accepted. A schema cannot say which
codes, emails or orders exist, so a valid-looking code the API has never issued is rightly
refused. The program in paths is the dev stack's `demo` (others are a plain 404).

REFERBEE_SPEC_EXAMPLES sets the examples per operation (default 40: about 30 operations,
a minute or two)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.e2e.stack import DevStack, free_port_pair

pytestmark = pytest.mark.e2e

SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
KEY = "rk_fuzz_spec_admin_key_0123456789"
EXAMPLES = int(os.environ.get("REFERBEE_SPEC_EXAMPLES", "40"))


PORT = free_port_pair()  # chosen when the module loads: the schema is built with its URL
schema = schemathesis.openapi.from_path(
    SPEC,
    config=SchemathesisConfig.from_dict(
        {
            "base-url": f"http://127.0.0.1:{PORT}",
            "headers": {"Authorization": f"Bearer {KEY}"},
            "parameters": {"path.program": "demo"},
            "generation": {"max-examples": EXAMPLES, "mode": "all"},
        }
    ),
)


@pytest.fixture(scope="module", autouse=True)
def dev_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    running = DevStack(tmp_path_factory.mktemp("spec"), KEY, port=PORT).start()
    yield running
    running.stop()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=5000,  # ms per request: the local stack answers in a few
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_does_what_its_spec_says(case: Any) -> None:
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
