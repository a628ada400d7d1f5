from django.urls import path

from shop_accounts.storefront.views import (
    account,
    cart,
    catalog,
    checkout,
    contact,
    language,
    orders,
    pages,
    payments,
)

app_name = "storefront"

urlpatterns = [
    path("", pages.home, name="home"),
    path("catalog/", catalog.catalog, name="catalog"),
    path("products/<slug:slug>/", catalog.product, name="product"),
    path("cart/", cart.cart, name="cart"),
    path("cart/add/", cart.add, name="cart-add"),
    path("cart/update/", cart.update, name="cart-update"),
    path("cart/remove/", cart.remove, name="cart-remove"),
    path("checkout/", checkout.checkout, name="checkout"),
    path("checkout/thank-you/<str:token>/", checkout.thank_you, name="checkout-thank-you"),
    path("orders/status/<str:token>/", orders.order_status, name="order-status"),
    path("payments/<str:provider>/webhook/", payments.webhook, name="payment-webhook"),
    path("my-account/", account.my_account, name="my-account"),
    path("language/", language.set_language, name="set-language"),
    path("contact/", contact.contact, name="contact"),
    path("contact/sent/", contact.contact_sent, name="contact-sent"),
]
