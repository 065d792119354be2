"""Every command has help text, and the deploy commands have their documentation page."""

from __future__ import annotations

from pathlib import Path

import click

from referbee.cli import main

DOCS = Path(__file__).parents[2] / "docs"


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix}{name} ")
    return found


def test_every_command_and_option_has_help() -> None:
    for name, command in commands(main):
        assert command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts}"


def test_deploy_commands_are_documented() -> None:
    page = (DOCS / "deploy.md").read_text()
    for name in ("deploy", "destroy", "package"):
        assert f"referbee {name} --stage" in page, name
        command = main.commands[name]
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in ("state_dir", "build_dir"):
                assert any(opt in page for opt in param.opts), f"{name} {param.opts}"
