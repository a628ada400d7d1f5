"""The demo as `make run` starts it (SHOP_DEMO=1 and nothing else): an unknown
address shows the shop's own 404 page, not Django's debug list of every URL,
while the stylesheet is still served (WhiteNoise, no collectstatic) and the
outbox keeps its demo links. The settings are read in a fresh process, as the
demo reads them; the test suite's own settings would hide the difference."""

import json
import os
import subprocess
import sys

from django.conf import settings

DEMO_VISIT = """
import json, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
call_command("load_demo_data", stdout=open("/dev/null", "w"))
client = Client(HTTP_HOST="localhost")
missing = client.get("/no-such-page/")
stylesheet = client.get("/static/shop_accounts/shop.css")
print(json.dumps({
    "debug": settings.DEBUG,
    "demo": settings.DEMO_MODE,
    "missing_status": missing.status_code,
    "missing_page": missing.content.decode(),
    "stylesheet_status": stylesheet.status_code,
    "stylesheet_type": stylesheet.headers.get("Content-Type", ""),
}))
"""


def visit_the_demo(tmp_path) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SHOP_", "DJANGO_", "DATABASE_URL"))
    }
    environment |= {
        "SHOP_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "shop_accounts.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "LOG_LEVEL": "WARNING",
    }
    finished = subprocess.run(
        [sys.executable, "-c", DEMO_VISIT],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


def test_an_unknown_address_in_the_demo_shows_the_shops_404_page(tmp_path):
    visit = visit_the_demo(tmp_path)

    assert visit["demo"] is True
    assert visit["debug"] is False
    assert visit["missing_status"] == 404
    page = visit["missing_page"]
    assert "<h1>Page not found</h1>" in page
    assert "Demo Shop" in page
    assert "URLconf" not in page and "backoffice/" not in page
    assert visit["stylesheet_status"] == 200
    assert visit["stylesheet_type"].startswith("text/css")
