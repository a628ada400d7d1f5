"""Each CAPTCHA provider's server-side check: the hosted ones against a local
HTTP server on loopback that answers as the provider's verify endpoint does,
ALTCHA with its own Python solver."""

import base64
import time
from decimal import Decimal

import altcha
import pytest
import time_machine
from django.core.cache import cache

from shop_accounts.captcha.errors import CaptchaFailed, CaptchaMissing, CaptchaUnavailable
from shop_accounts.captcha.providers import verify_url
from shop_accounts.captcha.verification import verify_captcha
from shop_accounts.stores import actions as store_actions

HOSTED = ["recaptcha_v2", "recaptcha_v3", "hcaptcha", "turnstile"]


def use_provider(store, provider: str, **fields):
    return store_actions.update_store(
        store,
        captcha_provider=provider,
        captcha_site_key="the-site-key",
        captcha_secret_key="the-secret-key",
        **fields,
    )


def passing_answer(provider: str) -> dict:
    if provider == "recaptcha_v3":
        return {"success": True, "score": 0.9, "action": "signin", "hostname": "testserver"}
    return {"success": True}


@pytest.mark.parametrize("provider", HOSTED)
def test_hosted_provider_accepts_a_token_it_confirms(provider, store, verify_endpoint):
    store = use_provider(store, provider)
    verify_endpoint.answers(passing_answer(provider))

    verify_captcha(store, "token-from-widget", remote_ip="203.0.113.7", action="signin")

    (request,) = verify_endpoint.received
    assert request["_content_type"] == "application/x-www-form-urlencoded"
    assert request["secret"] == "the-secret-key"
    assert request["response"] == "token-from-widget"
    assert request["remoteip"] == "203.0.113.7"
    if provider == "hcaptcha":
        assert request["sitekey"] == "the-site-key"
    else:
        assert "sitekey" not in request


@pytest.mark.parametrize("provider", HOSTED)
def test_hosted_provider_refusing_the_token_fails_the_check(provider, store, verify_endpoint):
    store = use_provider(store, provider)
    verify_endpoint.answers({"success": False, "error-codes": ["invalid-input-response"]})

    with pytest.raises(CaptchaFailed) as refused:
        verify_captcha(store, "forged-token", remote_ip="203.0.113.7", action="signin")

    assert str(refused.value.message) == "The spam check failed. Please try again."
    assert verify_endpoint.received[0]["response"] == "forged-token"


@pytest.mark.parametrize("provider", HOSTED)
def test_unreachable_provider_fails_closed(provider, store, closed_port_url):
    store = use_provider(store, provider)

    with pytest.raises(CaptchaUnavailable) as refused:
        verify_captcha(store, "token-from-widget", remote_ip="203.0.113.7", action="signin")

    assert str(refused.value.message) == (
        "The spam check could not be completed. Please try again in a moment."
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"<html>Bad gateway</html>", 502),
        (b"<html>not json</html>", 200),
        (b'["success", true]', 200),
        (b"", 200),
    ],
)
@pytest.mark.parametrize("provider", HOSTED)
def test_garbage_from_provider_fails_closed(provider, body, status, store, verify_endpoint):
    store = use_provider(store, provider)
    verify_endpoint.answers(body, status=status)

    with pytest.raises(CaptchaUnavailable):
        verify_captcha(store, "token-from-widget", remote_ip=None, action="signin")


def test_success_that_is_not_true_is_refused(store, verify_endpoint):
    store = use_provider(store, "turnstile")
    verify_endpoint.answers({"success": "yes"})

    with pytest.raises(CaptchaFailed):
        verify_captcha(store, "token-from-widget", remote_ip=None, action="signin")


def test_provider_too_slow_fails_closed(store, verify_endpoint, monkeypatch):
    monkeypatch.setenv("SHOP_CAPTCHA_TIMEOUT_SECONDS", "1")
    store = use_provider(store, "hcaptcha")
    verify_endpoint.answers({"success": True}, delay=2)

    with pytest.raises(CaptchaUnavailable):
        verify_captcha(store, "token-from-widget", remote_ip=None, action="signin")


def test_wrong_secret_key_is_reported_as_unavailable_not_as_the_shoppers_fault(
    store, verify_endpoint
):
    store = use_provider(store, "recaptcha_v2")
    verify_endpoint.answers({"success": False, "error-codes": ["invalid-input-secret"]})

    with pytest.raises(CaptchaUnavailable):
        verify_captcha(store, "token-from-widget", remote_ip=None, action="signin")


def test_recaptcha_v3_score_below_the_stores_threshold_is_refused(store, verify_endpoint):
    store = use_provider(store, "recaptcha_v3", captcha_min_score=Decimal("0.7"))
    verify_endpoint.answers(
        {"success": True, "score": 0.3, "action": "signin", "hostname": "testserver"}
    )

    with pytest.raises(CaptchaFailed):
        verify_captcha(store, "token-from-widget", remote_ip=None, action="signin")


def test_recaptcha_v3_score_at_the_threshold_passes(store, verify_endpoint):
    store = use_provider(store, "recaptcha_v3", captcha_min_score=Decimal("0.7"))
    verify_endpoint.answers(
        {"success": True, "score": 0.7, "action": "signin", "hostname": "testserver"}
    )

    verify_captcha(store, "token-from-widget", remote_ip=None, action="signin")


def test_recaptcha_v3_without_a_score_fails_closed(store, verify_endpoint):
    store = use_provider(store, "recaptcha_v3")
    verify_endpoint.answers({"success": True})

    with pytest.raises(CaptchaUnavailable):
        verify_captcha(store, "token-from-widget", remote_ip=None, action="signin")


@pytest.mark.parametrize(
    ("action", "hostname"),
    [("contact", "testserver"), ("signin", "attacker.example"), ("", "testserver")],
)
def test_recaptcha_v3_token_made_for_another_form_or_host_is_refused(
    store, verify_endpoint, action, hostname
):
    store = use_provider(store, "recaptcha_v3")
    verify_endpoint.answers({"success": True, "score": 0.9, "action": action, "hostname": hostname})

    with pytest.raises(CaptchaFailed):
        verify_captcha(store, "token-from-widget", remote_ip=None, action="signin")


def test_recaptcha_v3_host_name_is_compared_as_dns_does(store, verify_endpoint):
    store = use_provider(store, "recaptcha_v3")
    verify_endpoint.answers(
        {"success": True, "score": 0.9, "action": "signin", "hostname": "TestServer."}
    )

    verify_captcha(store, "token-from-widget", remote_ip=None, action="signin")


@pytest.mark.parametrize(
    "answer",
    [
        {"success": True, "score": 0.9, "hostname": "testserver"},
        {"success": True, "score": 0.9, "action": "signin"},
        {"success": True, "score": 0.9, "action": None, "hostname": "testserver"},
        {"success": True, "score": 0.9, "action": "signin", "hostname": ["testserver"]},
    ],
)
def test_recaptcha_v3_without_action_or_host_name_fails_closed(store, verify_endpoint, answer):
    store = use_provider(store, "recaptcha_v3")
    verify_endpoint.answers(answer)

    with pytest.raises(CaptchaUnavailable):
        verify_captcha(store, "token-from-widget", remote_ip=None, action="signin")


@pytest.mark.parametrize("provider", [*HOSTED, "altcha"])
def test_missing_answer_is_refused_without_asking_the_provider(provider, store, verify_endpoint):
    store = use_provider(store, provider)

    with pytest.raises(CaptchaMissing):
        verify_captcha(store, "", remote_ip=None, action="signin")

    assert verify_endpoint.received == []


def test_verify_urls_default_to_the_providers_documented_endpoints(settings):
    settings.SHOP_CAPTCHA_VERIFY_URLS = {}

    assert verify_url("recaptcha_v2") == "https://www.google.com/recaptcha/api/siteverify"
    assert verify_url("recaptcha_v3") == "https://www.google.com/recaptcha/api/siteverify"
    assert verify_url("hcaptcha") == "https://api.hcaptcha.com/siteverify"
    assert verify_url("turnstile") == ("https://challenges.cloudflare.com/turnstile/v0/siteverify")


# --- ALTCHA -----------------------------------------------------------------------


@pytest.fixture
def altcha_store(store, monkeypatch):
    monkeypatch.setenv("SHOP_ALTCHA_COST", "10")  # cheap proof of work in tests
    cache.clear()
    return store_actions.update_store(store, captcha_provider="altcha")


def solved_payload(challenge: dict) -> str:
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=30)
    assert solution is not None
    return altcha.Payload(parsed, solution).to_base64()


def test_altcha_challenge_endpoint_serves_a_signed_v2_challenge(altcha_store, client):
    response = client.get("/account/captcha/altcha/challenge/")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    challenge = response.json()
    assert challenge["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert challenge["parameters"]["keyPrefix"] == "00"
    assert challenge["parameters"]["expiresAt"] > time.time()
    assert len(challenge["signature"]) == 64


def test_altcha_challenge_endpoint_is_absent_where_the_store_does_not_use_altcha(store, client):
    assert client.get("/account/captcha/altcha/challenge/").status_code == 404


def test_altcha_solved_payload_passes_once_and_its_replay_is_refused(altcha_store, client):
    payload = solved_payload(client.get("/account/captcha/altcha/challenge/").json())

    verify_captcha(altcha_store, payload, remote_ip=None, action="signin")

    with pytest.raises(CaptchaFailed):
        verify_captcha(altcha_store, payload, remote_ip=None, action="signin")


def test_altcha_payload_with_tampered_challenge_is_refused(altcha_store, client):
    challenge = client.get("/account/captcha/altcha/challenge/").json()
    challenge["parameters"]["keyPrefix"] = ""  # anything would solve it
    payload = solved_payload(challenge)

    with pytest.raises(CaptchaFailed):
        verify_captcha(altcha_store, payload, remote_ip=None, action="signin")


def test_altcha_payload_signed_with_another_key_is_refused(altcha_store):
    foreign = altcha.create_challenge("PBKDF2/SHA-256", 10, hmac_secret="not our key")
    payload = solved_payload(foreign.to_dict())

    with pytest.raises(CaptchaFailed):
        verify_captcha(altcha_store, payload, remote_ip=None, action="signin")


def test_altcha_expired_challenge_is_refused(altcha_store, client, monkeypatch):
    monkeypatch.setenv("SHOP_ALTCHA_CHALLENGE_SECONDS", "60")
    payload = solved_payload(client.get("/account/captcha/altcha/challenge/").json())

    with time_machine.travel(time.time() + 120), pytest.raises(CaptchaFailed):
        verify_captcha(altcha_store, payload, remote_ip=None, action="signin")


@pytest.mark.parametrize(
    "payload",
    [
        "not base64 at all!",
        base64.b64encode(b"{}").decode(),
        base64.b64encode(b'{"challenge": null, "solution": null, "test": true}').decode(),
        base64.b64encode(b"[1, 2, 3]").decode(),
        "A" * 20_000,
    ],
)
def test_altcha_garbage_payload_is_refused(altcha_store, payload):
    with pytest.raises(CaptchaFailed):
        verify_captcha(altcha_store, payload, remote_ip=None, action="signin")
