"""What deploy tests share besides fixtures: the program config they deploy and `referbee`
run in a work folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from referbee.cli import main

IDENTITY_SECRET = "beans-identity-secret-0123"
STRIPE_SECRET = "whsec_beans0123456789abcdef"
SENDER = "rewards@beanthere.example"  # the program's `emails.from` address
CONFIG = f"""\
programs:
  - id: beans
    name: Bean There Coffee
    landing_url: https://beanthere.example/welcome
    identity_secret: {IDENTITY_SECRET}
    rewards:
      referrer: {{text: "$10 store credit", kind: credit, amount: 10}}
      friend: {{text: "15% off your first order", kind: percent, percent: 15}}
    emails:
      from: "Bean There <{SENDER}>"
    payments:
      stripe: {{webhook_secret: {STRIPE_SECRET}}}
"""


@dataclass
class Referbee:
    """Runs `referbee ...` in `workdir` against moto."""

    endpoint: str
    workdir: Path

    def __call__(self, *args: str, input: str | None = None) -> Result:
        previous = Path.cwd()
        os.chdir(self.workdir)
        try:
            return CliRunner().invoke(main, list(args), input=input)
        finally:
            os.chdir(previous)


def make_workdir(path: Path, config: str = CONFIG) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "referbee.yaml").write_text(config)
    return path
