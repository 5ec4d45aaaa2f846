"""Option types that check values at the boundary, before a command reads or writes anything.

Each type turns a bad value into click's usage error: one line that names the option and
the values it accepts, exit code 2. ``nan`` and ``inf`` are refused wherever a number must
be finite.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import click


class IsoDate(click.ParamType):
    """A calendar date written ``YYYY-MM-DD``."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        """Parse the date or fail naming the option."""
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; use YYYY-MM-DD, e.g. 2026-02-09", param, ctx)


class Number(click.ParamType):
    """A finite number within bounds (``low`` < x when ``open_low``, else ``low`` <= x)."""

    def __init__(
        self,
        low: float | None = None,
        high: float | None = None,
        *,
        open_low: bool = False,
        open_high: bool = False,
        integer: bool = False,
    ) -> None:
        self.low, self.high = low, high
        self.open_low, self.open_high = open_low, open_high
        self.integer = integer
        self.name = "integer" if integer else "number"

    def accepted(self) -> str:
        """The accepted values in words, e.g. ``a number > 0``."""
        kind = "an integer" if self.integer else "a finite number"
        bounds = []
        if self.low is not None:
            bounds.append(f"{'>' if self.open_low else '>='} {self.low:g}")
        if self.high is not None:
            bounds.append(f"{'<' if self.open_high else '<='} {self.high:g}")
        return kind + (" " + " and ".join(bounds) if bounds else "")

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Parse and check the number, or fail naming the option and the accepted values."""
        try:
            number: float = int(value) if self.integer else float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not {self.accepted()}", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not {self.accepted()}", param, ctx)
        too_low = self.low is not None and (
            number <= self.low if self.open_low else number < self.low
        )
        too_high = self.high is not None and (
            number >= self.high if self.open_high else number > self.high
        )
        if too_low or too_high:
            self.fail(f"{value!r} is not {self.accepted()}", param, ctx)
        return number


class IntList(click.ParamType):
    """Comma-separated integers, e.g. ``7,8,9`` (at least one)."""

    name = "N,N,..."

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[int, ...]:
        """Parse the list or fail naming the option."""
        if isinstance(value, tuple):
            return value
        try:
            numbers = tuple(int(part) for part in str(value).split(",") if part.strip())
        except ValueError:
            self.fail(f"{value!r} is not a comma-separated list of integers", param, ctx)
        if not numbers:
            self.fail("give at least one integer, e.g. 7,8,9", param, ctx)
        return numbers


DATE = IsoDate()
POSITIVE = Number(0, open_low=True)
"""A finite number > 0 (budgets, rates, seconds)."""
NON_NEGATIVE = Number(0)
POSITIVE_INT = Number(1, integer=True)
NON_NEGATIVE_INT = Number(0, integer=True)
SHARE = Number(0, 1)
"""A share between 0 and 1 inclusive."""
INT_LIST = IntList()
