"""A database outage in production: the shop answers 503 with Retry-After in
the visitor's language, logs it once, comes back by itself, and the worker
outlives it: it sends the mail whose retry fell due during the outage and
the mail queued right after it."""

import json
import time

from tests.production.servers import production_env, served, worker

# The pool timeout (3 s) bounds every request during the outage; granian and
# a busy shared machine add a little.
REQUEST_BOUND_SECONDS = 8
RECOVERY_BOUND_SECONDS = 20


def test_outage_answers_503_then_heals_and_the_worker_goes_on(
    running_postgres, mail_server, tmp_path
):
    env = production_env(
        running_postgres.url,
        SHOP_DB_POOL_SIZE="2",
        SMTP_HOST=mail_server.host,
        SMTP_PORT=str(mail_server.port),
        SMTP_STARTTLS="0",
        # A refused send is retried after 1, 2, 4, ... seconds.
        SHOP_EMAIL_RETRY_BASE_SECONDS="1",
    )
    with (
        served(env, tmp_path / "granian.log", workers=2, threads=4) as (app, client),
        worker(env, tmp_path / "worker.log") as background,
    ):
        assert client.get("/").status == 200
        # Given an email the mail server refused once, so that its retry
        # falls due while the database is down
        mail_server.refusing = True
        reset = client.post_form("/account/password/reset/", {"email": "bernd@example.com"})
        assert reset.status == 302
        deadline = time.monotonic() + 30
        while not mail_server.refused:
            assert time.monotonic() < deadline, background.output()
            time.sleep(0.1)

        # When the database stops (and the mail server takes mail again)
        running_postgres.stop()
        mail_server.refusing = False
        outage_started = time.monotonic()
        answers = []
        while time.monotonic() - outage_started < 4:
            answers.append(client.get("/", headers={"Accept-Language": "de"}))
            answers.append(client.get("/account/login/"))
        api = client.get("/api/v1/customers/", headers={"Accept": "application/json"})

        # Then every request is answered 503 "temporarily unavailable", quickly
        assert [a.status for a in answers] == [503] * len(answers)
        assert all(a.headers["retry-after"] == "30" for a in answers)
        assert max(a.seconds for a in answers) < REQUEST_BOUND_SECONDS
        german = answers[0]
        assert german.headers["content-language"] == "de"
        assert "<h1>Vorübergehend nicht verfügbar</h1>" in german.text
        assert "<h1>Temporarily unavailable</h1>" in answers[1].text
        assert "Error" not in german.text and "psycopg" not in german.text
        assert api.status == 503
        assert api.headers["content-type"] == "application/json"
        assert api.headers["retry-after"] == "30"
        assert json.loads(api.text)["code"] == "temporarily_unavailable"
        # and the worker waits instead of exiting
        assert background.running

        # When the database returns, service comes back without a restart
        running_postgres.start()
        returned = time.monotonic()
        while (home := client.get("/")).status != 200:
            assert home.status == 503
            assert time.monotonic() - returned < RECOVERY_BOUND_SECONDS
            time.sleep(0.2)

        # and an email queued now, while the worker may still be backing off,
        # is sent by the same worker process, as is the one whose retry fell
        # due during the outage
        reset = client.post_form("/account/password/reset/", {"email": "anna@example.com"})
        assert reset.status == 302
        deadline = time.monotonic() + 40
        while not (mail_server.to("anna@example.com") and mail_server.to("bernd@example.com")):
            assert time.monotonic() < deadline, background.output()
            time.sleep(0.2)
        assert len(mail_server.to("bernd@example.com")) == 1
        assert background.running

    # The worker stopped cleanly on SIGTERM
    assert background.popen.returncode == 0
    # One line per process when the outage began and ended, no tracebacks
    server_log, worker_log = app.output(), background.output()
    assert "Traceback" not in server_log, server_log
    assert "Traceback" not in worker_log, worker_log
    began = server_log.count("Database unavailable")
    assert 1 <= began <= 2, server_log
    # (each process that logged the outage logs its end at its next request
    # that uses the database)
    assert 1 <= server_log.count("Database available again") <= began, server_log
    assert worker_log.count("Database unavailable") == 1, worker_log
    assert worker_log.count("Database available again") == 1, worker_log
