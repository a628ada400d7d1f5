"""The production set-up, for real: a private PostgreSQL (as
scripts/postgres.sh starts one, on its own port and data directory), the app
served by granian in production mode, the task worker, and a small HTTP
client with cookies. Every process is started here and stopped by the
fixtures in conftest.py, also when a test fails."""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GRANIAN = str(Path(sys.executable).with_name("granian"))
DATABASE = "shop_accounts"
# Ports of their own, away from the suite's PostgreSQL (54329).
FIRST_PG_PORT = int(os.environ.get("SHOP_PRODUCTION_TEST_PGPORT", "54337"))
FIRST_APP_PORT = int(os.environ.get("SHOP_PRODUCTION_TEST_APP_PORT", "18000"))


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return found[-1] if found else None


def free_port(first: int) -> int:
    """The first port from `first` on that nobody listens on."""
    for port in range(first, first + 100):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port from {first}")


def _as_owner(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: run it as the postgres user then.
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


class PrivatePostgres:
    """A throwaway PostgreSQL cluster that a test can stop and start again."""

    def __init__(self, *, max_connections: int) -> None:
        bin_dir = postgres_bin()
        assert bin_dir is not None
        self.bin = bin_dir
        self.port = free_port(FIRST_PG_PORT)
        self.data = Path(tempfile.mkdtemp(prefix=f"shop-accounts-production-pg-{self.port}-"))
        self.max_connections = max_connections
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *command: str) -> None:
        subprocess.run(
            _as_owner([str(self.bin / command[0]), *command[1:]]),
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=60,
        )

    def create(self) -> None:
        if os.getuid() == 0:
            shutil.chown(self.data, "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", DATABASE)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
            f"-c max_connections={self.max_connections} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.data / "server.log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        subprocess.run(
            _as_owner(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
        )
        shutil.rmtree(self.data, ignore_errors=True)

    def client_connections(self) -> int:
        """Connections of clients to the shop's database (this one excluded)."""
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", connect_timeout=5
        ) as monitor:
            row = monitor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                [DATABASE],
            ).fetchone()
        assert row is not None
        return int(row[0])


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """Production mode on plain HTTP on loopback: no demo, no debug, no test
    settings, a real secret key, a shared (database) cache for rate limits."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SHOP_", "DJANGO_", "GRANIAN_"))
        and key not in {"DATABASE_URL", "CACHE_URL", "SMTP_HOST", "WEB_CONCURRENCY"}
    }
    env.update(
        DJANGO_SECRET_KEY="production-test-" + os.urandom(16).hex(),
        DATABASE_URL=database_url,
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        SHOP_SECURE="0",
        CACHE_URL="db://shop_cache",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=180,
    )


@dataclass
class Process:
    """A started process whose output goes to a log file."""

    popen: subprocess.Popen
    log: Path

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        """SIGTERM to the process group, then SIGKILL after 15 s."""
        if self.running:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=15)
        return self.popen.returncode


def start(command: list[str], env: dict[str, str], log: Path) -> Process:
    handle = log.open("wb")
    try:
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    finally:
        handle.close()
    return Process(popen, log)


@contextmanager
def served(env: dict[str, str], log: Path, *, workers: int, threads: int):
    """granian as in the README's production command; yields its base URL."""
    port = free_port(FIRST_APP_PORT)
    env = {**env, "GRANIAN_WORKERS": str(workers), "GRANIAN_BLOCKING_THREADS": str(threads)}
    process = start(
        [
            GRANIAN,
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "shop_accounts.wsgi:application",
        ],
        env,
        log,
    )
    try:
        client = Client(f"127.0.0.1:{port}")
        deadline = time.monotonic() + 90
        while True:
            assert process.running, process.output()
            try:
                if client.get("/").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "granian did not answer within 90 s"
            time.sleep(0.5)
        yield process, client
    finally:
        process.stop()


@contextmanager
def worker(env: dict[str, str], log: Path):
    process = start([PYTHON, "manage.py", "run_worker", "--interval", "0.5"], env, log)
    try:
        yield process
    finally:
        process.stop()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str
    seconds: float


@dataclass
class Client:
    """HTTP/1.1 on loopback with a cookie jar; no redirects followed."""

    address: str
    host: str = "localhost"
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 60

    def request(
        self,
        method: str,
        path: str,
        data: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        host, port = self.address.split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=self.timeout)
        all_headers = {"Host": self.host, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=all_headers)
            answer = connection.getresponse()
            text = answer.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        seconds = time.monotonic() - started
        for header, value in answer.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Response(
            answer.status, {k.lower(): v for k, v in answer.getheaders()}, text, seconds
        )

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, data: dict[str, str]) -> Response:
        """Post a form the way a browser does: with the CSRF token of its page."""
        page = self.get(path)
        assert page.status == 200, page.status
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, "no CSRF token on " + path
        return self.request("POST", path, {"csrfmiddlewaretoken": match.group(1), **data})
