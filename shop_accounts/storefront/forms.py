"""Storefront forms: parse and validate what shoppers send."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shop_accounts.identity.captcha import CaptchaFormMixin


class ContactForm(CaptchaFormMixin, forms.Form):
    """The contact form, with the store's CAPTCHA where it wants one."""

    captcha_form = "contact"

    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    message = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, **kwargs) -> None:
        # Our labels end without a colon, in every language.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
