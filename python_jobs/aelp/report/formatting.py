"""Numbers as a marketer reads them; None shows as an en dash."""

from __future__ import annotations

from typing import Any

MISSING = "–"


def pct(value: Any, digits: int = 2) -> str:
    """0.01234 → '1.23%'."""
    return MISSING if value is None else f"{float(value):.{digits}%}"


def signed_pct(value: Any, digits: int = 1) -> str:
    """0.1 → '+10.0%'."""
    return MISSING if value is None else f"{float(value):+.{digits}%}"


def money(value: Any, currency: str = "") -> str:
    """1234.5 → '1,234.50 USD'."""
    if value is None:
        return MISSING
    return f"{float(value):,.2f}" + (f" {currency}" if currency else "")


def count(value: Any) -> str:
    """12345 → '12,345'."""
    return MISSING if value is None else f"{float(value):,.0f}"


def number(value: Any, digits: int = 3) -> str:
    """A plain figure with ``digits`` significant decimals."""
    return MISSING if value is None else f"{float(value):.{digits}f}"
