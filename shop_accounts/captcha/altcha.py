"""ALTCHA, the self-hosted proof of work (the `altcha` package, protocol v2
as the vendored widget speaks it): we issue HMAC-signed, short-lived
challenges (served by `views.altcha_challenge`), verify the solved payload
and accept each payload once (the challenge's signature is remembered in the
cache for as long as the challenge could be accepted)."""

from datetime import timedelta
from typing import Any

import altcha
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from shop_accounts.captcha.errors import CaptchaFailed
from shop_accounts.conf import shop_settings

ALTCHA_ALGORITHM = "PBKDF2/SHA-256"
ALTCHA_KEY_PREFIX = "00"  # one zero byte: about 256 tries of the key derivation
# Languages the vendored widget has texts for besides English.
ALTCHA_LANGUAGES = {"de", "nl", "nb", "it"}


def _altcha_key() -> str:
    """The HMAC key of our challenges, derived from SECRET_KEY. The salt
    names the module this lived in first: changing it would refuse the
    challenges already handed out."""
    return salted_hmac(
        "shop_accounts.identity.captcha.altcha", "challenge", algorithm="sha256"
    ).hexdigest()


def altcha_challenge() -> dict[str, Any]:
    """A new signed challenge for the ALTCHA widget (protocol v2), valid for
    SHOP_ALTCHA_CHALLENGE_SECONDS."""
    expires_at = timezone.now() + timedelta(seconds=shop_settings.ALTCHA_CHALLENGE_SECONDS)
    challenge = altcha.create_challenge(
        ALTCHA_ALGORITHM,
        shop_settings.ALTCHA_COST,
        key_prefix=ALTCHA_KEY_PREFIX,
        expires_at=expires_at,
        hmac_secret=_altcha_key(),
    )
    return challenge.to_dict()


def verify_altcha_payload(payload: str) -> None:
    """Accept a solved ALTCHA payload once: signed by us, not expired, solved,
    and not seen before."""
    if len(payload) > 8 * 1024:
        raise CaptchaFailed("payload too long")
    try:
        result = altcha.verify_solution(payload, _altcha_key())
        signature = (
            altcha.Payload.from_base64(payload).challenge.signature if result.verified else ""
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CaptchaFailed(f"unreadable payload: {error}") from error
    if not result.verified or not signature:
        raise CaptchaFailed(
            "expired" if result.expired else (result.error or "wrong solution or signature")
        )
    # Replays: the first use of a solved challenge stores its signature for as
    # long as the challenge could still be accepted; cache.add is atomic.
    if not cache.add(
        f"altcha:used:{signature}", True, timeout=shop_settings.ALTCHA_CHALLENGE_SECONDS + 60
    ):
        raise CaptchaFailed("payload already used")
