from django.urls import include, path

from shop_accounts.backoffice.site import backoffice_site

urlpatterns = [
    path("backoffice/", backoffice_site.urls),
    path("account/", include("shop_accounts.identity.urls")),
    path("account/", include("allauth.urls")),
    path("", include("shop_accounts.storefront.urls")),
]
