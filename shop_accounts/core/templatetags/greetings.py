"""The greeting of emails and pages: "Hello Maxi," by the first name, cut
where it is overlong, and a neutral "Hello" where the name is not known (a
store may not ask for it at sign-up), never "Hello ,"."""

from typing import Any

from django import template
from django.utils.text import Truncator
from django.utils.translation import gettext

register = template.Library()

# Longer names are cut with "…": a 110-character first name must not fill the
# first line of an email or push a page's layout apart.
GREETING_NAME_LENGTH = 40


@register.filter
def greeting_name(name: Any) -> str:
    """`name` cut to GREETING_NAME_LENGTH characters, with "…" where cut."""
    return Truncator(str(name or "").strip()).chars(GREETING_NAME_LENGTH)


@register.simple_tag
def greeting(person: Any) -> str:
    """The first line of an email to `person` (a customer, or None)."""
    name = greeting_name(getattr(person, "first_name", ""))
    if not name:
        return gettext("Hello")
    return gettext("Hello %(name)s,") % {"name": name}
