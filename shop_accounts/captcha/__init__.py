"""CAPTCHA per store and per form (the store's `captcha_*` fields), for every
surface that takes input from strangers: allauth's sign-in forms (through
`identity.captcha`), the contact form, and checkout and the API to come.

- `providers`: the hosted services (Google reCAPTCHA v2 and v3, hCaptcha,
  Cloudflare Turnstile), checked server-side at their "siteverify" URL.
- `altcha`: the self-hosted ALTCHA proof of work: challenges, their check,
  and replay protection.
- `verification`: which form of which store wants a CAPTCHA, and checking
  an answer with the store's provider.
- `forms`: the widget, the field and `CaptchaFormMixin`; `csp`: the hosts a
  hosted widget needs in the Content-Security-Policy; `views`: the ALTCHA
  challenge endpoint.

A provider that cannot be reached, or answers anything but its documented
JSON, fails closed: the form is refused with `CaptchaUnavailable`, never let
through and never a 500. Nothing here is stored in the database: ALTCHA's
replay protection lives in the cache, so this is a plain package, not an app.

Settings (Django settings, all optional):

- ``SHOP_CAPTCHA_VERIFY_URLS``: ``{provider: url}`` overriding a provider's
  verify URL (tests point them at a local HTTP server; an operator may route
  them through a gateway). Keys are the `Store.CaptchaProvider` values.
- ``SHOP_CAPTCHA_SCRIPT_URLS``: ``{provider: url}`` overriding the URL of a
  provider's widget script (browser tests serve a stand-in from loopback,
  since the real scripts need the internet). The script's origin is added to
  the pages' ``script-src`` next to the provider's own hosts.

Product settings (environment, see ``shop_accounts.conf``):
``SHOP_CAPTCHA_TIMEOUT_SECONDS``, ``SHOP_ALTCHA_COST``,
``SHOP_ALTCHA_CHALLENGE_SECONDS``.
"""
