"""Passkeys in tests: Chromium's virtual authenticator over the DevTools
protocol stands in for a phone or laptop."""

from playwright.sync_api import Page


def add_virtual_authenticator(page: Page) -> None:
    """A platform passkey authenticator (like a phone or laptop) that says
    yes to every user-verification prompt."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
