"""Placing the back-office mixins' sections on the customer page."""

from typing import Any


def with_fieldset_after(fieldsets: list, after_fields: set[str], fieldset: Any) -> list:
    """`fieldsets` with `fieldset` inserted after the last section showing any
    of `after_fields` (at the end when none does)."""
    at = max(
        (i + 1 for i, (_name, opts) in enumerate(fieldsets) if after_fields & set(opts["fields"])),
        default=len(fieldsets),
    )
    return [*fieldsets[:at], fieldset, *fieldsets[at:]]
