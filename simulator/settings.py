"""One typed settings object: made by the `parley` group from its options, passed down.

The CLI builds a `Settings` from the root options (each PARLEY_* environment variable is
declared on its option, see simulator/cli/main.py), hands it to every command with
`pass_settings` (click's make_pass_decorator) and on to the app, the recorder and the
served process. Nothing here imports click or Textual, so the app can import it cheaply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from engine.check_cache import CheckCache
    from engine.scenario_cache import ScenarioCache

Mode = Literal["tui", "served"]

# Every PARLEY_* variable the command reads, with what it sets (shown in `parley --help`).
ENV_VARS: dict[str, str] = {
    "PARLEY_SCENARIOS": "extra scenario folders, separated by ':' (as --scenarios)",
    "PARLEY_DATA_DIR": "user data folder for saves, records, exports (as --data-dir)",
    "PARLEY_DB": "the records store, a SQLite file or postgresql:// URL (as --db)",
    "PARLEY_PARTICIPANT": "your name for the trainer's records (as --participant)",
    "PARLEY_COHORT": "workshop or group name for the records (as --cohort)",
    "PARLEY_LANG": "language to play in (as --lang)",
    "PARLEY_FEEDBACK": "immediate or debrief (as --feedback)",
    "PARLEY_MODE": "tui or served; `parley serve` passes --mode served to each browser's process",
    "PARLEY_ASK_NAME": "1: ask a served player's name (as --name-prompt)",
    "PARLEY_DEBUG": "1: show a full traceback on an internal error (as --debug)",
    "PARLEY_NO_CACHE": "1: load every scenario from its file, without the cache (as --no-cache)",
    "PARLEY_CACHE_DIR": "the cache folder for compiled scenarios, check results and catalogues",
    "PARLEY_LRS": "send xAPI statements to this LRS endpoint (as --lrs)",
    "PARLEY_LRS_CREDENTIALS": "file with one line user:password for the LRS (as --lrs-credentials)",
    "PARLEY_LRS_USER": "the LRS user, when no credentials file is given (as --lrs-user)",
    "PARLEY_LRS_PASSWORD": "the LRS password, with PARLEY_LRS_USER (never on a command line)",
}


@dataclass(frozen=True, slots=True)
class Settings:
    """What the root `parley` options say; commands narrow it with `with_given`."""

    scenario_dirs: tuple[Path, ...] = ()
    participant: str | None = None
    cohort: str | None = None
    db_path: str | None = None
    lang: str | None = None
    feedback: str | None = None
    data_dir: Path | None = None
    mode: Mode = "tui"
    name_prompt: bool = False
    watch: bool = False
    author: bool = False  # `parley play --author`: jump, edit the state, see the edges
    debug: bool = False
    lrs: str | None = None  # an LRS endpoint: statements go there through the outbox
    lrs_credentials: str | None = None  # a file with one line user:password
    lrs_user: str | None = None  # without a credentials file: --lrs-user / PARLEY_LRS_USER
    lrs_password: str | None = field(default=None, repr=False)  # PARLEY_LRS_PASSWORD
    # the order options are shown in (engine.order): each play draws its own seed unless
    # `seed` is given; shuffle False keeps file order (tests, authors checking a file)
    seed: int | None = None
    shuffle: bool = True
    cache: bool = True  # keep compiled scenarios (engine.scenario_cache); --no-cache: off

    def play_seed(self) -> int | None:
        """The seed for a new play: the given one, a fresh one, or None (file order)."""
        if not self.shuffle:
            return None
        if self.seed is not None:
            return self.seed
        from engine.order import new_seed

        return new_seed()

    @property
    def served(self) -> bool:
        """Running for one browser under `parley serve`."""
        return self.mode == "served"

    def with_given(self, **given: Any) -> Settings:
        """A copy with each value that is not None put in (a subcommand's own options)."""
        changes = {k: v for k, v in given.items() if v is not None}
        return replace(self, **changes) if changes else self

    def all_scenario_dirs(self) -> tuple[Path, ...]:
        """--scenarios folders, then the user's own scenarios folder."""
        from simulator.paths import user_scenarios_dir

        return (*self.scenario_dirs, user_scenarios_dir())

    def scenario_cache(self) -> ScenarioCache | None:
        """Where compiled scenarios are kept (None under --no-cache / PARLEY_NO_CACHE)."""
        if not self.cache:
            return None
        from engine.scenario_cache import ScenarioCache
        from simulator import __version__
        from simulator.paths import cache_dir

        return ScenarioCache(cache_dir() / "scenarios", __version__)

    def check_cache(self) -> CheckCache | None:
        """Where `parley check` keeps its results (None under --no-cache)."""
        if not self.cache:
            return None
        from engine.check_cache import CheckCache
        from simulator import __version__
        from simulator.paths import cache_dir

        return CheckCache(cache_dir() / "check", __version__)

    def records_path(self) -> Path:
        """--db (or PARLEY_DB), else the default file in the user data folder."""
        from simulator.paths import default_db

        return Path(self.db_path) if self.db_path else default_db()

    def records_target(self) -> str:
        """The records store: --db (or PARLEY_DB) as given, a SQLite file path or a
        postgresql:// URL; else the default file in the user data folder. A file path is
        made absolute (a served browser's process may run elsewhere)."""
        if self.db_path and "://" in self.db_path:
            return self.db_path
        return str(self.records_path().resolve())

    @classmethod
    def coerce(cls, value: Settings | Mapping[str, Any] | None) -> Settings:
        """A Settings from a Settings, or from a plain mapping of the same names (tests)."""
        if isinstance(value, Settings):
            return value
        if not value:
            return cls()
        names = {f.name for f in fields(cls)}
        known = {k: v for k, v in value.items() if k in names and v is not None}
        if "scenario_dirs" in known:
            known["scenario_dirs"] = tuple(Path(str(d)) for d in known["scenario_dirs"])
        if "data_dir" in known:
            known["data_dir"] = Path(str(known["data_dir"]))
        return cls(**known)
