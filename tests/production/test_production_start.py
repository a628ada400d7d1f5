"""The production start refuses several processes with a per-process
rate-limit cache, with a message that says what to do."""

import time

from tests.production.servers import FIRST_APP_PORT, GRANIAN, free_port, production_env, start


def test_granian_with_several_processes_and_a_locmem_cache_refuses_to_start(tmp_path):
    # The checks run before any database is touched: none is needed.
    env = production_env(
        f"sqlite:///{tmp_path / 'unused.sqlite3'}", CACHE_URL="locmem://", GRANIAN_WORKERS="2"
    )
    server = start(
        [
            GRANIAN,
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(free_port(FIRST_APP_PORT)),
            "shop_accounts.wsgi:application",
        ],
        env,
        tmp_path / "granian.log",
    )
    try:
        deadline = time.monotonic() + 90
        while server.running:
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.5)
    finally:
        server.stop()

    assert server.popen.returncode != 0
    output = server.output()
    assert "(shop_accounts.E001) 2 processes serve" in output
    assert "createcachetable" in output
