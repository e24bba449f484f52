"""`parley serve`: a workshop in the browser (textual-serve); every play goes into one database.

textual-serve starts one `parley` process per browser connection. Each gets everything on
its command line: the database (a file or a postgresql:// URL), the cohort, `--mode served` (plays are recorded with mode
`served`, saves stay private to the browser) and `--name-prompt` (a name prompt opens).
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

import click

from engine.errors import ParleyError
from simulator.cli.common import (
    complete_scenario,
    db_option,
    lrs_options,
    pass_settings,
    resolve_scenario,
)
from simulator.serve_guard import DEFAULT_MAX_SESSIONS, MAX_SESSIONS_LIMIT
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
    db: str | Path,
    cohort: str | None,
    dirs: tuple[Path, ...],
    lang: str | None,
    scenario: str | None,
    name_prompt: bool = True,
    participant: str | None = None,
    lrs: str | None = None,
    lrs_credentials: str | None = None,
    no_cache: bool = False,
) -> str:
    """The shell command textual-serve runs for each browser: every setting is an option
    (nothing travels through the environment). A postgresql:// URL is passed as it is: keep
    its password in ~/.pgpass or PGPASSWORD (docs/trainers.md), not in the URL."""
    args = [sys.executable, "-m", "simulator.cli.main", "--mode", "served", "--db", str(db)]
    if no_cache:
        args.append("--no-cache")
    if name_prompt and not participant:
        args.append("--name-prompt")
    if participant:
        args += ["--participant", participant]
    if cohort:
        args += ["--cohort", cohort]
    for d in dirs:
        args += ["--scenarios", str(d)]
    if lang:
        args += ["--lang", lang]
    if lrs:
        args += ["--lrs", lrs]
    if lrs_credentials:
        args += ["--lrs-credentials", str(Path(lrs_credentials).resolve())]
    if scenario:
        args += ["play", scenario]
    return shlex.join(args)


def startup_lines(
    host: str,
    port: int,
    public_url: str,
    title: str,
    cohort: str | None,
    db: str,
    access: str | None = None,
) -> list[tuple[str, bool]]:
    """What `parley serve` says before it serves: (line, to stderr)."""
    from engine.records import display_target

    lines = [
        (f"parley: serving {title} at {public_url}", False),
        (
            f"parley: recording {'cohort ' + repr(cohort) if cohort else 'plays'} into {display_target(db)}",
            False,
        ),
    ]
    if access:
        lines.append((f"parley: only browsers with {access} may play", False))
    if not is_loopback(host):
        where = "every network interface" if all_interfaces(host) else host
        if not access:
            text = (
                f"anyone who can reach this machine on port {port} can play and be recorded. "
                "There is no login; use it only on a network you trust."
            )
        elif not public_url.startswith("https://"):
            text = (
                "codes and access cookies travel in clear over http; on a network you do not "
                "trust, serve behind a TLS reverse proxy (docs/trainers.md)."
            )
        else:
            text = ""
        if text:
            lines.append((f"parley: WARNING: listening on {where}: {text}", True))
    report = f"parley report --db {shlex.quote(display_target(db))}"
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
@click.option(
    "--join-code",
    "join_codes",
    multiple=True,
    metavar="[COHORT=]CODE",
    help="A code players type to join (at least 6 characters); COHORT=CODE, repeated, "
    "serves several cohorts, each recorded under its own code. Needed off loopback "
    "(or --tokens).",
)
@click.option(
    "--tokens",
    "tokens_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV file token,participant,cohort: one code per learner, who is then recorded "
    "under their name and cohort.",
)
@click.option(
    "--max-sessions",
    type=click.IntRange(1, MAX_SESSIONS_LIMIT),
    default=DEFAULT_MAX_SESSIONS,
    show_default=True,
    help=f"Play sessions at once (1 to {MAX_SESSIONS_LIMIT}, ~60 MB each); one more browser "
    "gets a 'workshop is full' page.",
)
@lrs_options
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
    max_sessions: int = DEFAULT_MAX_SESSIONS,
    join_codes: tuple[str, ...] = (),
    tokens_file: Path | None = None,
    lrs: str | None = None,
    lrs_credentials: str | None = None,
) -> None:
    """Serve Parley to browsers for a workshop: each browser gets its own play of SCENARIO
    (or the scenario picker), recorded into the trainer's database. Off loopback (e.g.
    --host 0.0.0.0) players need a code: --join-code CODE or --tokens FILE."""
    from engine.records import open_store
    from simulator.serve_access import policy_from

    settings = settings.with_given(
        cohort=cohort, db_path=db_path, lrs=lrs, lrs_credentials=lrs_credentials
    )
    cohort = settings.cohort
    if settings.lrs:
        from engine.lrs import lrs_from

        lrs_from(settings.lrs, settings.lrs_credentials)  # a bad address fails here
    sends = {"lrs": settings.lrs, "lrs_credentials": settings.lrs_credentials}
    no_cache = not settings.cache
    policy = policy_from(join_codes, tokens_file, cohort)
    if not policy and not is_loopback(host):
        raise click.UsageError(
            f"serving on {host or 'every interface'} (not loopback) needs a code: "
            "--join-code CODE (players type it) or --tokens FILE (one per learner); "
            "see docs/trainers.md"
        )
    db = settings.records_target()
    open_store(db).close()  # create/upgrade it now: a bad --db fails here, not per browser
    dirs = tuple(d.resolve() for d in settings.all_scenario_dirs())
    if scenario is not None:
        sc = resolve_scenario(settings, scenario)
        scenario = str(sc.path.resolve()) if sc.path is not None else scenario
    cmd = build_command(
        db, cohort, dirs, settings.lang, scenario, name_prompt, **sends, no_cache=no_cache
    )

    if public_url is None:
        shown = lan_address() if all_interfaces(host) else host
        if ":" in shown and not shown.startswith("["):
            shown = f"[{shown}]"
        public_url = f"http://{shown}:{port}"
    public_url = public_url.rstrip("/")

    check_port(host, port)
    from simulator.serve_guard import GuardedServer, allowed_origins

    access = None
    if policy:
        groups = ", ".join(repr(c) if c else "no cohort" for c in policy.cohorts)
        access = f"a code ({len(policy.codes)} code(s) for {groups}); the code decides the cohort"
    for line, to_stderr in startup_lines(host, port, public_url, title, cohort, db, access):
        click.echo(line, err=to_stderr)
    click.echo(
        f"parley: at most {max_sessions} sessions at once; only pages from {public_url} "
        "may start one"
    )
    guard: dict[str, Any] = dict(
        host=host,
        port=port,
        title=title,
        public_url=public_url,
        allowed=allowed_origins(host, port, public_url),
        max_sessions=max_sessions,
    )
    if policy:
        from simulator.serve_access import AccessServer, Grant

        def command_for(grant: Grant) -> str:
            return build_command(
                db,
                grant.cohort,
                dirs,
                settings.lang,
                scenario,
                name_prompt,
                grant.participant,
                **sends,
                no_cache=no_cache,
            )

        server: GuardedServer = AccessServer(cmd, policy=policy, command_for=command_for, **guard)
    else:
        server = GuardedServer(cmd, **guard)
    try:
        server.serve()
    except OSError as exc:
        raise ParleyError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="another program may use that port; choose another with --port",
        ) from None
