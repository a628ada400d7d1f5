from django.urls import path

from shop_accounts.storefront.views import account, cart, catalog, contact, language, pages

app_name = "storefront"

urlpatterns = [
    path("", pages.home, name="home"),
    path("catalog/", catalog.catalog, name="catalog"),
    path("products/<slug:slug>/", catalog.product, name="product"),
    path("cart/", cart.cart, name="cart"),
    path("cart/add/", cart.add, name="cart-add"),
    path("cart/update/", cart.update, name="cart-update"),
    path("cart/remove/", cart.remove, name="cart-remove"),
    path("my-account/", account.my_account, name="my-account"),
    path("language/", language.set_language, name="set-language"),
    path("contact/", contact.contact, name="contact"),
    path("contact/sent/", contact.contact_sent, name="contact-sent"),
]
