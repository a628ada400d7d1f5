"""Fixtures for the CAPTCHA tests: a provider's verify endpoint on loopback."""

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

HOSTED = ["recaptcha_v2", "recaptcha_v3", "hcaptcha", "turnstile"]


@dataclass
class VerifyEndpoint:
    """A provider's siteverify endpoint on 127.0.0.1: records each POST and
    answers what the test told it to."""

    url: str = ""
    received: list[dict[str, str]] = field(default_factory=list)
    body: bytes = b'{"success": true}'
    status: int = 200
    delay: float = 0.0

    def answers(self, body: dict | bytes, *, status: int = 200, delay: float = 0.0) -> None:
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.status = status
        self.delay = delay


@pytest.fixture
def verify_endpoint(settings) -> Iterator[VerifyEndpoint]:
    endpoint = VerifyEndpoint()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = dict(parse_qsl(self.rfile.read(length).decode()))
            endpoint.received.append(
                {"_path": self.path, "_content_type": self.headers["Content-Type"], **form}
            )
            time.sleep(endpoint.delay)
            self.send_response(endpoint.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(endpoint.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}/siteverify"
    settings.SHOP_CAPTCHA_VERIFY_URLS = dict.fromkeys(HOSTED, endpoint.url)
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def closed_port_url(settings) -> str:
    """A verify URL nobody listens on: the provider cannot be reached."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/siteverify"
    settings.SHOP_CAPTCHA_VERIFY_URLS = dict.fromkeys(HOSTED, url)
    return url
