"""`parley serve`: a workshop in the browser (textual-serve); every play goes into one database.

textual-serve starts one `parley` process per browser connection. Each gets everything on
its command line: the database, the cohort, `--mode served` (plays are recorded with mode
`served`, saves stay private to the browser) and `--name-prompt` (a name prompt opens).
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from pathlib import Path

import click

from engine.errors import ParleyError
from simulator.cli.common import complete_scenario, db_option, pass_settings, resolve_scenario
from simulator.settings import Settings


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def all_interfaces(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent), else its name."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
    except OSError:
        return socket.gethostname()


def build_command(
    db: Path,
    cohort: str | None,
    dirs: tuple[Path, ...],
    lang: str | None,
    scenario: str | None,
    name_prompt: bool = True,
) -> str:
    """The shell command textual-serve runs for each browser: every setting is an option
    (nothing travels through the environment)."""
    args = [sys.executable, "-m", "simulator.cli.main", "--mode", "served", "--db", str(db)]
    if name_prompt:
        args.append("--name-prompt")
    if cohort:
        args += ["--cohort", cohort]
    for d in dirs:
        args += ["--scenarios", str(d)]
    if lang:
        args += ["--lang", lang]
    if scenario:
        args += ["play", scenario]
    return shlex.join(args)


def startup_lines(
    host: str, port: int, public_url: str, title: str, cohort: str | None, db: Path
) -> list[tuple[str, bool]]:
    """What `parley serve` says before it serves: (line, to stderr)."""
    lines = [
        (f"parley: serving {title} at {public_url}", False),
        (f"parley: recording {'cohort ' + repr(cohort) if cohort else 'plays'} into {db}", False),
    ]
    if not is_loopback(host):
        where = "every network interface" if all_interfaces(host) else host
        lines.append(
            (
                f"parley: WARNING: listening on {where}: anyone who can reach this machine on "
                f"port {port} can play and be recorded. There is no login; use it only on a "
                "network you trust.",
                True,
            )
        )
    report = f"parley report --db {shlex.quote(str(db))}"
    if cohort:
        report += f" --cohort {shlex.quote(cohort)}"
    lines.append((f"parley: afterwards: {report}", False))
    return lines


def check_port(host: str, port: int) -> None:
    """Fail early, in one line, when the address cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise ParleyError(f"cannot listen on {host}:{port}: {exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise ParleyError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                hint="another program may use that port; choose another with --port",
            ) from None


@click.command("serve")
@click.argument("scenario", required=False, shell_complete=complete_scenario)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--public-url",
    default=None,
    help="The URL browsers use (behind a proxy or tunnel), e.g. https://workshop.example.org",
)
@click.option("--cohort", default=None, help="Workshop name: every play is recorded under it.")
@db_option
@click.option(
    "--name-prompt/--no-name-prompt",
    default=True,
    show_default=True,
    help="Ask each player for a name at the start (they may stay anonymous).",
)
@click.option("--title", default="Parley", show_default=True, help="Browser tab title.")
@pass_settings
def command(
    settings: Settings,
    scenario: str | None,
    host: str,
    port: int,
    public_url: str | None,
    cohort: str | None,
    db_path: str | None,
    name_prompt: bool,
    title: str,
) -> None:
    """Serve Parley to browsers for a workshop: each browser gets its own play of SCENARIO
    (or the scenario picker), recorded into the trainer's database. There is no login:
    keep it on a network you trust."""
    from engine.records import RecordStore

    settings = settings.with_given(cohort=cohort, db_path=db_path)
    cohort = settings.cohort
    db = settings.records_path().resolve()
    RecordStore(db).close()  # create/upgrade it now: a bad --db fails here, not per browser
    dirs = tuple(d.resolve() for d in settings.all_scenario_dirs())
    if scenario is not None:
        sc = resolve_scenario(settings, scenario)
        scenario = str(sc.path.resolve()) if sc.path is not None else scenario
    cmd = build_command(db, cohort, dirs, settings.lang, scenario, name_prompt)

    if public_url is None:
        shown = lan_address() if all_interfaces(host) else host
        if ":" in shown and not shown.startswith("["):
            shown = f"[{shown}]"
        public_url = f"http://{shown}:{port}"
    public_url = public_url.rstrip("/")

    check_port(host, port)
    from textual_serve.server import Server

    for line, to_stderr in startup_lines(host, port, public_url, title, cohort, db):
        click.echo(line, err=to_stderr)
    server = Server(cmd, host=host, port=port, title=title, public_url=public_url)
    try:
        server.serve()
    except OSError as exc:
        raise ParleyError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="another program may use that port; choose another with --port",
        ) from None
