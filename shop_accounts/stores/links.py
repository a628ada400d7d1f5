"""Absolute links to a store, built in one place and without a request, so
the worker, renewals, webhooks and management commands build the same links
as a page does.

`store_url(store, path)` is the store's host name with one scheme and port
for the installation (SHOP_LINK_SCHEME, SHOP_LINK_PORT in conf.py).

`store_link(store, name, *args)` is a link by name, for domain code that must
not know a surface's URLs (a domain action never reverses a back-office URL).
The app that owns the page registers the name once, in its
`AppConfig.ready()`: the back office registers "customer_record", identity
registers "sign_in". A domain app names what it links to; where that page
lives stays with the surface.
"""

from collections.abc import Callable

from shop_accounts.conf import shop_settings
from shop_accounts.stores.models import Store

DEFAULT_PORTS = {"http": 80, "https": 443}

_named_paths: dict[str, Callable[..., str]] = {}


class UnknownLink(LookupError):
    """A link name nobody registered (the app owning the page is missing)."""

    code = "unknown_link"


def store_url(store: Store, path: str = "/") -> str:
    """The absolute URL of `path` (starting with "/") on `store`'s shop front."""
    if not path.startswith("/"):
        raise ValueError(f"A store path starts with '/': {path!r}")
    scheme = shop_settings.LINK_SCHEME
    port = shop_settings.LINK_PORT
    host = store.hostname if port in (None, DEFAULT_PORTS[scheme]) else f"{store.hostname}:{port}"
    return f"{scheme}://{host}{path}"


def register_link(name: str, path: Callable[..., str]) -> None:
    """Let domain code link to a page by `name`; `path(*args)` returns the
    page's path (usually a `reverse()` of the registering app's URL)."""
    _named_paths[name] = path


def store_link(store: Store, name: str, *args: object) -> str:
    """The absolute URL of the page registered as `name`, on `store`."""
    try:
        path = _named_paths[name]
    except KeyError:
        raise UnknownLink(name) from None
    return store_url(store, path(*args))
