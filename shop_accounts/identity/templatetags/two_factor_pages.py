"""Filters of the two-factor pages."""

from django import template

register = template.Library()


@register.filter
def in_groups_of_four(secret: str) -> str:
    """An authenticator-app key as people copy it: "ABCD EFGH IJKL …".
    Authenticator apps ignore the spaces."""
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))
