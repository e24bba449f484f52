"""A real PostgreSQL server for the tests (pytest plugin, loaded from conftest.py).

`postgres_server` (session): initdb + pg_ctl in a fresh temp folder, Unix socket only (no
TCP), as the `postgres` user when the tests run as root (initdb refuses root), stopped at
the end of the session. Each xdist worker starts its own. Without Debian's `postgresql`
package the PostgreSQL tests are skipped, except in CI (CI=true), where that fails.

`new_database()` gives each test an empty database on it; `store_url` is the fixture most
tests use: parametrised over both stores, it is a fresh SQLite file or a fresh PostgreSQL
database URL.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PORT_BASE = 18700  # records' port range; the socket lives in a private folder anyway


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PostgresServer:
    folder: Path
    port: int
    bin: Path
    as_user: str | None
    counter: Iterator[int]

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.folder}&port={self.port}"

    def new_database(self, prefix: str = "t") -> str:
        """An empty database of its own; returns its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self.counter)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_user:
            cmd = ["runuser", "-u", self.as_user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI must run the PostgreSQL tests: .ci/run installs postgresql)")
    pytest.skip(reason)


class PostgresMissing(Exception):
    """PostgreSQL cannot be started here (not installed, no postgres user)."""


def start_postgres(port: int = PORT_BASE) -> PostgresServer:
    """initdb + pg_ctl start in a fresh temp folder, Unix socket only; `stop_postgres` ends it."""
    bindir = _bin_dir()
    if bindir is None:
        raise PostgresMissing(
            "PostgreSQL is not installed (apt-get install postgresql), so it is not tested"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise PostgresMissing("psycopg is not installed (pip install 'psycopg[binary]')") from None
    as_user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresMissing(
                "running as root and there is no 'postgres' user to run the server"
            ) from None
        as_user = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="parley-pg-"))
    folder.chmod(0o755)
    if as_user:
        shutil.chown(folder, as_user)
    server = PostgresServer(folder, port, bindir, as_user, itertools.count(1))
    data = folder / "data"
    init = server.run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {init.stderr.strip()[-500:]}")
    options = (
        f"-p {port} -k {folder} -c listen_addresses= -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    start = server.run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"),
                       "-w", "start")  # fmt: skip
    if start.returncode != 0:
        log = folder / "log"
        tail = log.read_text(errors="replace")[-800:] if log.exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {start.stderr.strip()} {tail}")
    return server


def stop_postgres(server: PostgresServer) -> None:
    server.run("pg_ctl", "-D", str(server.folder / "data"), "-m", "immediate", "-w", "stop")
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Iterator[PostgresServer]:
    worker_id = str(getattr(request.config, "workerinput", {}).get("workerid", "gw0"))
    worker = int(worker_id[2:]) if worker_id[2:].isdigit() else 0
    try:
        server = start_postgres(PORT_BASE + worker)
    except PostgresMissing as exc:
        _missing(str(exc))
        raise
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield server
    finally:
        stop_postgres(server)


STORES = ["sqlite", "postgresql"]


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def new_store_url(
    store_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Callable[[str], str]:
    """A factory: name -> a fresh, empty store of the parametrised kind."""
    if store_kind == "sqlite":
        return lambda name="records": str(tmp_path / f"{name}.sqlite3")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return lambda name="records": server.new_database()


@pytest.fixture
def store_url(new_store_url: Callable[[str], str]) -> str:
    """A fresh, empty records store: a SQLite file, or a PostgreSQL database URL."""
    return new_store_url("records")
