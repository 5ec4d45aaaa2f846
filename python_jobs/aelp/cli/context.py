"""What every command shares: settings, a lazily opened warehouse, and the error rule.

A command receives an :class:`App` through :data:`pass_app`. The profile is read the first
time a command asks for ``app.settings`` and the warehouse is opened the first time it asks
for ``app.warehouse`` (and closed when the command ends), so a command that fails on its
options has read and written nothing.

The error rule (:class:`AelpGroup`): a bad option is a usage error, one line naming the
command, the option and what it accepts, exit code 2; a known runtime failure
(:class:`aelp.errors.AelpError`: a missing input table, a model run that does not exist,
an unreachable warehouse, a bad configuration) is one line ``aelp: error: ...`` that says
how to fix it, exit code 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

import click

from aelp.config import Settings, load_settings
from aelp.errors import AelpError
from aelp.warehouse import Warehouse, connect

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class App:
    """One invocation's shared state: the chosen target, its settings and warehouse."""

    target: str | None = None
    _settings: Settings | None = field(default=None, repr=False)
    _warehouse: Warehouse | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """The project's dbt vars and the profile target (read on first use)."""
        if self._settings is None:
            self._settings = load_settings(target=self.target)
        return self._settings

    @property
    def warehouse(self) -> Warehouse:
        """The target's warehouse, opened on first use and closed when the command ends."""
        if self._warehouse is None:
            self._warehouse = connect(self.settings)
            click.get_current_context().call_on_close(self.close)
        return self._warehouse

    def close(self) -> None:
        """Close the warehouse if it was opened."""
        if self._warehouse is not None:
            self._warehouse.close()
            self._warehouse = None


pass_app = click.make_pass_decorator(App, ensure=True)
"""Decorator that hands a command the invocation's :class:`App` as its first argument."""


class KnownFailure(click.ClickException):
    """A known runtime failure shown as ``aelp: error: <message>`` with exit code 1."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        """Write the one-line message to standard error."""
        click.echo(f"aelp: error: {self.format_message()}", err=True, file=file)


class AelpGroup(click.Group):
    """A command group that applies the error rule to every command below it."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a known failure becomes one line and exit code 1."""
        try:
            return super().invoke(ctx)
        except AelpError as error:
            raise KnownFailure(str(error)) from None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Like click's, but a usage error is one line: the command, the option, the fix."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx else (prog_name or "aelp")
            message = error.format_message()
            click.echo(f"{where}: error: {message[:1].lower()}{message[1:]}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def group(name: str | None = None, **attrs: Any) -> Callable[[F], AelpGroup]:
    """``click.group`` with the error rule: every package declares its groups with this."""
    return click.group(name, cls=AelpGroup, **attrs)


def log_level_default() -> str:
    """``AELP_LOG_LEVEL`` or INFO."""
    return os.environ.get("AELP_LOG_LEVEL", "INFO")
