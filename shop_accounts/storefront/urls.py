from django.urls import path

from shop_accounts.storefront import views

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
    path("catalog/", views.catalog, name="catalog"),
    path("products/<slug:slug>/", views.product, name="product"),
    path("cart/", views.cart, name="cart"),
    path("my-account/", views.my_account, name="my-account"),
    path("language/", views.set_language, name="set-language"),
    path("contact/", views.contact, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact-sent"),
]
