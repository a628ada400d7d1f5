"""Why a CAPTCHA answer was refused: a code and a message for the shopper;
the detail is for the log only."""

from django.utils.translation import gettext_lazy as _

from shop_accounts.core.errors import DomainError


class CaptchaError(DomainError):
    """The spam check refused the form; `message` is for the shopper."""

    code = "captcha_failed"
    message = _("The spam check failed. Please try again.")

    def __init__(self, detail: str = "") -> None:
        self.detail = detail  # for the log only, never shown
        super().__init__()


class CaptchaMissing(CaptchaError):
    code = "captcha_missing"
    message = _("Please complete the spam check.")


class CaptchaFailed(CaptchaError):
    code = "captcha_failed"


class CaptchaUnavailable(CaptchaError):
    code = "captcha_unavailable"
    message = _("The spam check could not be completed. Please try again in a moment.")
