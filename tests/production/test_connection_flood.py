"""A flood of sign-in attempts from one address on PostgreSQL: the server's
connections stay within the processes' pools, and a signed-in shopper on the
side never gets a 500."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import PASSWORD
from tests.production.servers import Client, Response, production_env, served

WORKERS = 2
THREADS = 8  # more threads than pooled connections: the pool must hold them back
POOL_SIZE = 3
FLOOD_PER_SECOND = 50
FLOOD_SECONDS = 5
REQUEST_BOUND_SECONDS = 30


def test_sign_in_flood_keeps_connections_within_the_pool_and_other_shoppers_served(
    running_postgres, tmp_path
):
    env = production_env(running_postgres.url, SHOP_DB_POOL_SIZE=str(POOL_SIZE))
    with served(env, tmp_path / "granian.log", workers=WORKERS, threads=THREADS) as (app, client):
        # Given a shopper signed in on the side
        shopper = Client(client.address)
        signed_in = shopper.post_form(
            "/account/login/", {"login": "anna@example.com", "password": PASSWORD}
        )
        assert signed_in.status == 302, signed_in.text
        assert "Hello Anna." in shopper.get("/my-account/").text

        # and a flood of wrong passwords from one address, with a valid form
        flooder = Client(client.address)
        login_page = flooder.get("/account/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text)
        assert token
        form = {"csrfmiddlewaretoken": token.group(1), "login": "bernd@example.com"}

        def attempt(number: int) -> Response:
            one = Client(client.address, cookies=dict(flooder.cookies))
            return one.request("POST", "/account/login/", {**form, "password": f"wrong-{number}"})

        connections: list[int] = []
        shopper_answers: list[Response] = []
        done = threading.Event()

        def watch_connections() -> None:
            while not done.is_set():
                connections.append(running_postgres.client_connections())
                time.sleep(0.1)

        def keep_shopping() -> None:
            while not done.is_set():
                shopper_answers.append(shopper.get("/my-account/"))
                time.sleep(0.2)

        watchers = [
            threading.Thread(target=watch_connections),
            threading.Thread(target=keep_shopping),
        ]
        for thread in watchers:
            thread.start()
        try:
            # When the flood runs
            with ThreadPoolExecutor(max_workers=64) as pool:
                futures = []
                for number in range(FLOOD_PER_SECOND * FLOOD_SECONDS):
                    futures.append(pool.submit(attempt, number))
                    time.sleep(1 / FLOOD_PER_SECOND)
                flood = [future.result() for future in futures]
        finally:
            done.set()
            for thread in watchers:
                thread.join()

    # Then the server never held more connections than the pools allow
    assert connections and max(connections) <= WORKERS * POOL_SIZE, connections
    # the flood got form errors, then "too many attempts", or "try again
    # shortly" from a full pool; never a 500, never a hanging request
    statuses = {answer.status for answer in flood}
    assert statuses <= {200, 429, 503}, statuses
    assert 429 in statuses
    assert max(answer.seconds for answer in flood) < REQUEST_BOUND_SECONDS
    # and the signed-in shopper was served throughout, at worst asked to retry
    shopper_statuses = [answer.status for answer in shopper_answers]
    assert set(shopper_statuses) <= {200, 503}, shopper_statuses
    assert shopper_statuses.count(200) >= len(shopper_statuses) // 2, shopper_statuses
    assert all("Hello Anna." in answer.text for answer in shopper_answers if answer.status == 200)
    assert "Traceback" not in app.output()
