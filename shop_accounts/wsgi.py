import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop_accounts.settings")
application = get_wsgi_application()

# runserver runs Django's system checks before it serves; granian does not.
# Refuse to serve on an error (e.g. a per-process rate-limit cache while
# several processes serve), with the checks' own message.
from django.core import checks  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

_errors = [issue for issue in checks.run_checks() if issue.is_serious() and not issue.is_silenced()]
if _errors:
    raise ImproperlyConfigured("\n".join(str(issue) for issue in _errors))
