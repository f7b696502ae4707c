"""How an answer reads in a report, whatever the format: one function for all reporters."""

from __future__ import annotations


def display_value(value: object) -> str:
    """``None`` → "unanswered", booleans → yes/no, whole floats without ".0", lists joined."""
    if value is None:
        return "unanswered"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)
