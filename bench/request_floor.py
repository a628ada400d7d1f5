"""The fixed cost of every request, served by granian in production mode.

Builds a store and customers in a throwaway SQLite database, starts granian
(DEBUG off, the production Argon2id hasher, WhiteNoise's manifest, 2 workers
unless told otherwise) on a free loopback port, and measures over HTTP: a
guest's home page, a signed-in home page, My Account, and a password sign-in
of a customer with no earlier sessions and of one with 50. Each line gives
the median and the worst wall time, the SQL statements of the request and
how many of them wrote (from bench/counting_wsgi.py's headers). A bare
Argon2id verify is timed in the same run, as the floor of a sign-in.
"""

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "bench.localhost"
PASSWORD = "correct horse battery staple"


def production_environment(database: Path) -> dict[str, str]:
    """Production settings on plain loopback HTTP: no DEBUG, no test mode."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SHOP_TESTING", "SHOP_DEMO", "DJANGO_DEBUG", "CACHE_URL", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="shop_accounts.settings",
        DJANGO_SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"sqlite:///{database}",
        SHOP_SECURE="0",
        LOG_LEVEL="WARNING",
        # Every round signs in again from one address.
        SHOP_RATE_LIMIT_LOGIN="",
        SHOP_RATE_LIMIT_LOGIN_FAILED="",
    )
    return env


@dataclass
class Browser:
    """One visitor: a keep-alive connection and its cookies."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": HOST, "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Answer(
            status=response.status,
            location=response.getheader("Location", ""),
            ms=elapsed,
            queries=int(response.getheader("X-Bench-Queries", "-1")),
            writes=int(response.getheader("X-Bench-Writes", "-1")),
            content=content,
        )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


@dataclass
class Answer:
    status: int
    location: str
    ms: float
    queries: int
    writes: int
    content: bytes


def sign_in(port: int, email: str) -> tuple[Browser, Answer]:
    browser = Browser(port)
    browser.request("GET", "/account/login/")  # the CSRF cookie
    answer = browser.request("POST", "/account/login/", {"login": email, "password": PASSWORD})
    if answer.status != 302 or answer.location != "/my-account/":
        raise SystemExit(f"sign-in of {email} answered {answer.status} {answer.location}")
    return browser, answer


def report(name: str, answers: list[Answer]) -> float:
    median = statistics.median(a.ms for a in answers)
    queries = sorted({a.queries for a in answers})
    print(
        f"{name:34s} median {median:7.1f} ms  max {max(a.ms for a in answers):7.1f} ms  "
        f"queries {'/'.join(map(str, queries)):>5s}  "
        f"writes {sum(a.writes for a in answers)} in {len(answers)}"
    )
    return median


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"granian stopped with {server.returncode}")
        try:
            browser = Browser(port)
            if browser.request("GET", "/").status == 200:
                browser.close()
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("granian did not answer in time")


def build(sessions: int, rounds: int) -> str:
    """The store and customers; returns a password hash of one of them."""
    from django.core.management import call_command

    from shop_accounts.customers import actions
    from shop_accounts.identity.actions import record_verified_email
    from shop_accounts.stores import actions as store_actions

    call_command("migrate", verbosity=0)
    # Production serves static files from WhiteNoise's manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    store = store_actions.create_store(name="Bench Shop", hostname=HOST, is_default=True)
    emails = ["regular@example.com", "busy@example.com"] + [
        f"fresh{n}@example.com" for n in range(rounds + 3)
    ]
    encoded = ""
    for email in emails:
        customer = actions.open_account(store=store, email=email, password=PASSWORD, language="en")
        record_verified_email(customer)
        encoded = customer.password
    return encoded


def argon2_verify_ms(encoded: str, rounds: int) -> float:
    from django.contrib.auth.hashers import identify_hasher

    hasher = identify_hasher(encoded)
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        assert hasher.verify(PASSWORD, encoded)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    print(
        f"{'Argon2id verify (bare, in-process)':34s} median {median:7.1f} ms  ({hasher.algorithm})"
    )
    return median


def measure(port: int, args: argparse.Namespace, encoded: str) -> None:
    rounds, warmup = args.rounds, 5

    guest = Browser(port)
    for _ in range(warmup):
        guest.request("GET", "/")
    report("guest: home page", [guest.request("GET", "/") for _ in range(rounds)])

    regular, _answer = sign_in(port, "regular@example.com")
    for _ in range(warmup):
        regular.request("GET", "/")
        regular.request("GET", "/my-account/")
    report("signed in: home page", [regular.request("GET", "/") for _ in range(rounds)])
    report("signed in: My Account", [regular.request("GET", "/my-account/") for _ in range(rounds)])

    # 50 earlier sessions, each still signed in.
    for _ in range(args.sessions):
        sign_in(port, "busy@example.com")[0].close()
    verify = argon2_verify_ms(encoded, rounds)
    fresh, busy = [], []
    for n in range(rounds):
        browser, answer = sign_in(port, f"fresh{n}@example.com")
        fresh.append(answer)
        browser.close()
        browser, answer = sign_in(port, "busy@example.com")
        busy.append(answer)
        # Signing out again keeps the earlier sessions at exactly 50.
        browser.request("POST", "/account/logout/", {})
        browser.close()
    at_0 = report("password sign-in, 0 earlier sessions", fresh)
    at_n = report(f"password sign-in, {args.sessions} earlier sessions", busy)
    print(
        f"sign-in / Argon2id verify: {at_0 / verify:.2f}x with 0 earlier sessions, "
        f"{at_n / verify:.2f}x with {args.sessions}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=50, help="earlier sessions of one customer")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="request-floor-"))
    env = production_environment(workdir / "bench.sqlite3")
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    encoded = build(args.sessions, args.rounds)

    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "granian"),
            "--interface", "wsgi",
            "--host", "127.0.0.1",
            "--port", str(port),
            "--workers", str(args.workers),
            "--working-dir", str(ROOT / "bench"),
            "--log-level", "warning",
            "counting_wsgi:application",
        ],
        env=env,
    )  # fmt: skip
    try:
        wait_until_serving(port, server)
        print(f"granian, {args.workers} workers, SQLite, production settings; {args.rounds} rounds")
        measure(port, args, encoded)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
