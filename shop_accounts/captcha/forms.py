"""The CAPTCHA on a Django form: the provider's widget, a field for its
answer, and `CaptchaFormMixin`, which adds both where the store wants them
and checks the answer before anything else."""

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from shop_accounts.captcha.altcha import ALTCHA_LANGUAGES
from shop_accounts.captcha.errors import CaptchaError, CaptchaMissing
from shop_accounts.captcha.providers import THIRD_PARTIES, script_url
from shop_accounts.captcha.verification import captcha_required, verify_captcha
from shop_accounts.stores.context import request_store_or_none
from shop_accounts.stores.models import Store


class CaptchaWidget(forms.Widget):
    """The provider's own widget (templates/captcha/<provider>.html) with its
    script; it reads the answer from the field the provider's widget fills."""

    use_fieldset = False

    def __init__(self, *, provider: str, site_key: str, form_name: str) -> None:
        super().__init__()
        self.provider = provider
        self.site_key = site_key
        self.form_name = form_name

    @property
    def template_name(self) -> str:  # type: ignore[override]
        return f"captcha/{self.provider}.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        third_party = THIRD_PARTIES.get(self.provider)
        context["captcha"] = {
            "provider": self.provider,
            "site_key": self.site_key,
            # reCAPTCHA v3 puts it into its token; verify_captcha checks it.
            "action": self.form_name,
            "language": language,
            "script_url": script_url(self.provider) if third_party else "",
            "challenge_url": reverse("captcha:altcha-challenge"),
            "altcha_language": language if language in ALTCHA_LANGUAGES else "",
        }
        return context

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # The project's template engine (static files, translations), not the
        # form renderer's, which only knows Django's own widget templates.
        return mark_safe(  # noqa: S308 - a rendered, autoescaped template
            render_to_string(self.template_name, self.get_context(name, value, attrs))
        )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> str:
        third_party = THIRD_PARTIES.get(self.provider)
        return data.get(third_party.response_field if third_party else name) or ""

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def use_required_attribute(self, initial: Any) -> bool:
        return False

    def id_for_label(self, id_: str) -> str:
        return ""  # the provider's widget labels its own control


class CaptchaField(forms.CharField):
    """The answer to the store's CAPTCHA; checked by CaptchaFormMixin.clean()."""

    default_error_messages = {"required": CaptchaMissing.message}

    def __init__(self, *, store: Store, form_name: str) -> None:
        super().__init__(
            label="",
            required=True,
            widget=CaptchaWidget(
                provider=store.captcha_provider,
                site_key=store.captcha_site_key,
                form_name=form_name,
            ),
        )


class CaptchaFormMixin(forms.Form):
    """Adds the current store's CAPTCHA to a form where the store wants one
    for `captcha_form` (a FORM_SWITCHES key), and checks it first in clean():
    a form without a valid answer goes no further (no password is checked,
    no email is sent).

    The store is the request's (the form's `request` attribute), else the
    store being served. Surfaces that know better override
    `captcha_request()` and `captcha_client_ip()` (identity.captcha does,
    for allauth's forms)."""

    captcha_form: str = ""
    captcha_field_name = "captcha"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.captcha_request()
        store = request_store_or_none(request)
        self.captcha_store = store if captcha_required(store, self.captcha_form) else None
        if self.captcha_store is not None:
            self.fields[self.captcha_field_name] = CaptchaField(
                store=self.captcha_store, form_name=self.captcha_form
            )

    def captcha_request(self) -> HttpRequest | None:
        """The request the form serves, if it knows it."""
        return getattr(self, "request", None)

    def captcha_client_ip(self, request: HttpRequest) -> str | None:
        """The shopper's IP address, passed on to the hosted provider (which
        may weigh it). Without a proxy in front, the connection's address."""
        return request.META.get("REMOTE_ADDR") or None

    def clean(self) -> dict[str, Any]:
        if self.captcha_store is not None:
            answer = self.cleaned_data.get(self.captcha_field_name)
            if not answer:
                return self.cleaned_data  # "complete the spam check" is shown already
            request = self.captcha_request()
            try:
                verify_captcha(
                    self.captcha_store,
                    answer,
                    remote_ip=self.captcha_client_ip(request) if request is not None else None,
                    action=self.captcha_form,
                )
            except CaptchaError as error:
                self.add_error(
                    self.captcha_field_name, forms.ValidationError(error.message, code=error.code)
                )
                return self.cleaned_data
        return super().clean() or self.cleaned_data
