"""Signed-in devices are named as people name them, from the browser's user
agent, in the customer's language."""

import pytest
from django.utils import translation

from shop_accounts.identity.devices import device_name

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (IPHONE, "Mobile Safari 17 on iPhone (iOS 17)"),
        (WINDOWS_FIREFOX, "Firefox 128 on Windows 10"),
        ("curl/8.5.0", "curl 8"),
        ("", "Unknown browser"),
        ("\x00 not a browser at all", "Unknown browser"),
    ],
)
def test_a_user_agent_is_named_as_browser_and_system(user_agent, name):
    with translation.override("en"):
        assert device_name(user_agent) == name


def test_the_name_is_in_the_customers_language():
    with translation.override("de"):
        assert device_name(WINDOWS_FIREFOX) == "Firefox 128 auf Windows 10"
    with translation.override("it"):
        assert device_name("") == "Browser sconosciuto"
