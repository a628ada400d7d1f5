import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop_accounts.settings")
application = get_asgi_application()

# runserver runs Django's system checks before it serves; granian does not.
# Refuse to serve on an error (e.g. a per-process rate-limit cache while
# several processes serve), with the checks' own message.
from shop_accounts.core.checks import refuse_to_serve_on_errors  # noqa: E402

refuse_to_serve_on_errors()
