"""The CAPTCHA's own endpoint, mounted under /account/captcha/."""

from django.urls import path

from shop_accounts.captcha import views

app_name = "captcha"

urlpatterns = [
    path("altcha/challenge/", views.altcha_challenge, name="altcha-challenge"),
]
