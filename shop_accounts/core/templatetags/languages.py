"""The language menu: each language named as it writes itself, all in one
style, a capital first letter as at the start of any menu entry ("Deutsch",
"Norsk bokmål", "Italiano"), not Django's mix of "italiano" and
"norsk (bokmål)"."""

from django import template
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info

register = template.Library()

# Django's own local names, where they differ from the rule above.
LOCAL_NAMES = {"nb": "Norsk bokmål"}


@register.simple_tag
def language_menu() -> list[dict[str, str]]:
    """The shop's languages (settings.LANGUAGES) as `code` and `name`."""
    return [{"code": code, "name": _local_name(code)} for code, _name in settings.LANGUAGES]


def _local_name(code: str) -> str:
    return LOCAL_NAMES.get(code) or str(capfirst(get_language_info(code)["name_local"]))
