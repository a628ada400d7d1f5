"""A signed-in device as people name it ("Firefox 128 on Windows 10"), read
from the browser's user agent with ua-parser's maintained rules. The raw user
agent is kept by allauth's user sessions; this only names it."""

from functools import lru_cache

import ua_parser
from django.utils.translation import gettext as _

UNKNOWN = "Other"  # ua-parser's family for what its rules do not recognise


def _versioned(family: str, major: str | None) -> str:
    return f"{family} {major}" if major else family


@lru_cache(maxsize=1024)
def _parts(user_agent: str) -> tuple[str, str]:
    parsed = ua_parser.parse(user_agent)
    browser = (
        _versioned(parsed.user_agent.family, parsed.user_agent.major)
        if parsed.user_agent and parsed.user_agent.family != UNKNOWN
        else ""
    )
    system = (
        _versioned(parsed.os.family, parsed.os.major)
        if parsed.os and parsed.os.family != UNKNOWN
        else ""
    )
    if parsed.device and parsed.device.family not in (UNKNOWN, "Generic Smartphone"):
        system = f"{parsed.device.family} ({system})" if system else parsed.device.family
    return browser, system


def device_name(user_agent: str) -> str:
    """ "Safari 17 on iPhone (iOS 17)"; the browser or system alone when only
    one is known; "Unknown browser" when neither is."""
    browser, system = _parts(user_agent or "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")
