"""The progress display of long commands: one line per step, a spinner while it runs, its
time and what it did when it ends."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.status import Status

from ..deploy.state import Outcome


class StepDisplay:
    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(highlight=False, soft_wrap=True)
        self._status: Status | None = None

    def step_started(self, title: str) -> None:
        self._status = self.console.status(f"{escape(title)} ...", spinner="dots")
        self._status.start()

    def step_finished(self, title: str, outcome: Outcome, seconds: float) -> None:
        self._stop()
        mark = "[green]+[/green]" if outcome.changed else "[dim]=[/dim]"
        self.console.print(f"{mark} {escape(title):<48} {seconds:6.1f} s  {escape(outcome.detail)}")

    def step_failed(self, title: str, seconds: float) -> None:
        self._stop()
        self.console.print(f"[red]x[/red] {escape(title):<48} {seconds:6.1f} s  [red]stopped[/red]")

    def _stop(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
