"""The scenario picker: every scenario Parley can find, filtered as you type.

There is no play yet: its words follow the app's language (`--lang`), else English.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from engine.messages import t
from simulator.localize import Localized
from simulator.saves import save_info
from simulator.screens.catalog import Entry, list_paths, load_entry, scenario_dirs
from simulator.session import OpenScenario, SessionOf


def stars(difficulty: int) -> str:
    return "★" * difficulty + "☆" * max(0, 3 - difficulty)


def entry_prompt(entry: Entry, lang: str | None) -> Content:
    """How one scenario (or a file that does not load) looks in the list."""
    sc = entry.scenario
    if sc is None:
        head = t("picker.does_not_load", lang, name=entry.path.name)
        lines = [Content.styled(f"⚠ {head}", "bold $error")]
        lines += [Content.styled(e, "$error") for e in entry.errors]
        return Content("\n").join(lines)
    badge: Content = Content("")
    if entry.save is not None:
        if entry.save.turns is None:
            badge = Content.styled(f"  {t('picker.save_damaged', lang)}", "$warning")
        else:
            turn = entry.save.turns + 1
            who = entry.save.participant
            resume = (
                t("picker.resume_of", lang, name=who, turn=turn)
                if who
                else t("picker.resume", lang, turn=turn)
            )
            badge = Content.styled(f"  ⟲ {resume}", "bold $success")
    title = Content.assemble((sc.title.get(lang), "bold"), badge)
    summary = Content.styled(" ".join(sc.summary.get(lang).split()), "$foreground 80%")
    meta = Content.assemble(
        (stars(sc.difficulty), "$warning"),
        (f" {t('picker.difficulty', lang, n=sc.difficulty)}", "$foreground 60%"),
        ("  ·  ", "$foreground 40%"),
        (", ".join(sc.tags) or t("picker.no_tags", lang), "$text-secondary"),
        ("  ·  ", "$foreground 40%"),
        (" ".join(sorted(sc.languages)), "$foreground 80%"),
        ("  ·  ", "$foreground 40%"),
        (sc.framework.name.get(lang), "$accent"),
    )
    lines = [title, summary]
    if sc.objectives:
        goals = " ".join(" ".join(o.get(lang).split()) for o in sc.objectives)
        lines.append(
            Content.assemble(
                (f"{t('fb.objectives', lang)} ", "$foreground 70%"), (goals, "$foreground 90%")
            )
        )
    return Content("\n").join([*lines, meta])


class FilterInput(Input):
    """The filter field; Enter plays the highlighted scenario (shown in the footer)."""

    BINDINGS = [Binding("enter", "submit", "play")]

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """`?` is help, as on every screen: the filter leaves it to the picker's binding."""
        return character != "?" and super().check_consume_key(key, character)


class PickerScreen(Localized, Screen[None]):
    """Pick a scenario; Enter plays it (resuming a saved play), ctrl+n starts afresh."""

    WORDS = "picker"
    session = SessionOf()

    BINDINGS = [
        Binding("enter", "open", "play"),
        Binding("ctrl+n", "fresh", "new play"),
        Binding("down", "cursor(1)", show=False),
        Binding("up", "cursor(-1)", show=False),
        Binding("pagedown", "cursor(5)", show=False),
        Binding("pageup", "cursor(-5)", show=False),
        Binding("escape", "clear_or_quit", "clear/quit"),
        Binding("ctrl+r", "reload", "reload", show=False),
        # priority: `?` opens help here too, as everywhere, instead of going into the filter
        Binding("question_mark,f1", "help", "help", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.shown_entries: list[Entry] = []
        self.is_loading = True
        self._filtered_for: str | None = None

    @property
    def ui_lang(self) -> str | None:
        return self.session.lang

    def compose(self) -> ComposeResult:
        lang = self.ui_lang
        yield Static(
            Content.assemble(("Parley", "bold $accent"), f"  {t('picker.tagline', lang)}"),
            id="picker-title",
        )
        yield FilterInput(placeholder=t("picker.filter", lang), id="filter")
        yield OptionList(id="scenarios")
        yield Static(id="picker-count")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        field = self.query_one("#filter", Input)
        field.cursor_blink = getattr(self.app, "cursor_blink", True)
        field.focus()
        self._show_loading()
        self.load_entries()

    def _show_loading(self) -> None:
        self.query_one("#scenarios", OptionList).set_options(
            [Option(Content.styled(t("picker.loading", self.ui_lang), "italic"), disabled=True)]
        )

    @work(thread=True, exclusive=True, group="catalog")
    def load_entries(self) -> None:
        """Load every scenario file in a thread: the picker stays responsive."""
        paths = list_paths(scenario_dirs(self.session.settings))
        participant = self.session.settings.participant
        cache = self.session.settings.scenario_cache()
        entries = [load_entry(p, participant, cache) for p in paths]
        self.app.call_from_thread(self._set_entries, entries)

    def _set_entries(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._report_damaged_saves()
        self.is_loading = False
        self.refilter()

    def _report_damaged_saves(self) -> None:
        """A damaged save was moved aside while listing: say so once, then forget it."""
        for entry in self.entries:
            if entry.save is not None and entry.save.problem and entry.scenario is not None:
                self.notify(
                    f"{entry.scenario.title.get(self.ui_lang)}: {entry.save.problem}",
                    title=t("screen.save_damaged", self.ui_lang),
                    severity="warning",
                    timeout=10,
                    markup=False,
                )
                entry.save = None

    def on_screen_resume(self) -> None:
        """Back from a play: saved plays (and the language, `l` in a play) may have changed."""
        self._show_language()
        if self.is_loading:
            return
        for problem in self.session.hooks.flush():
            title = t("screen.could_not_save", self.ui_lang)
            self.notify(problem, title=title, severity="error", markup=False)
        for entry in self.entries:
            if entry.scenario is not None:
                entry.save = save_info(
                    entry.scenario,
                    self.session.settings.participant,
                )
        self._report_damaged_saves()
        self.refilter()
        self.query_one("#filter", Input).focus()

    def _show_language(self) -> None:
        """The title and the filter's hint in the app's language (a play may have changed it)."""
        lang = self.ui_lang
        self.query_one("#picker-title", Static).update(
            Content.assemble(("Parley", "bold $accent"), f"  {t('picker.tagline', lang)}")
        )
        self.query_one("#filter", Input).placeholder = t("picker.filter", lang)
        self.refresh_bindings()

    # ------------------------------------------------------------------ filtering
    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        if not self.is_loading:
            self.refilter()

    def refilter(self) -> None:
        value = self.query_one("#filter", Input).value
        self._filtered_for = value
        query = value.lower().split()
        lang = self.session.lang
        matches = [e for e in self.entries if all(w in e.haystack(lang) for w in query)]
        # saved plays first (resume is the likely wish), then the gentlest scenarios (the
        # flagship leads the bundled library), files that do not load last
        matches.sort(
            key=lambda e: (
                e.save is None,
                e.scenario is None,
                e.scenario.difficulty if e.scenario is not None else 0,
            )
        )
        self.shown_entries = matches
        options: list[Option | None] = []
        for i, e in enumerate(self.shown_entries):
            if i:
                options.append(None)
            options.append(Option(entry_prompt(e, lang), id=str(i)))
        if not options:
            text = t("picker.no_match" if self.entries else "picker.none", lang)
            options = [Option(Content.styled(text, "italic"), disabled=True)]
        ol = self.query_one("#scenarios", OptionList)
        ol.set_options(options)
        ol.highlighted = 0 if self.shown_entries else None
        broken = sum(1 for e in self.entries if e.scenario is None)
        count = t("picker.count", lang, shown=len(self.shown_entries), total=len(self.entries))
        if broken:
            count += f" · {t('picker.broken', lang, n=broken)}"
        self.query_one("#picker-count", Static).update(Content.styled(count, "$foreground 60%"))

    # ------------------------------------------------------------------ actions
    def _current(self) -> Entry | None:
        if not self.is_loading and self._filtered_for != self.query_one("#filter", Input).value:
            self.refilter()  # typed faster than the filter ran: go by what is typed
        ol = self.query_one("#scenarios", OptionList)
        option = ol.highlighted_option
        if option is None or option.id is None or not self.shown_entries:
            return None
        return self.shown_entries[int(option.id)]

    def action_cursor(self, delta: int) -> None:
        ol = self.query_one("#scenarios", OptionList)
        if not self.shown_entries:
            return
        current = ol.highlighted if ol.highlighted is not None else 0
        ol.highlighted = max(0, min(ol.option_count - 1, current + delta))

    def action_open(self) -> None:
        self._open(resume=True)

    def action_fresh(self) -> None:
        self._open(resume=False)

    def _open(self, resume: bool) -> None:
        entry = self._current()
        if entry is None:
            return
        if entry.scenario is None:
            lang = self.ui_lang
            self.notify(
                "\n".join(entry.errors) or t("picker.this_file", lang),
                title=t("picker.does_not_load", lang, name=entry.path.name),
                severity="error",
                markup=False,
            )
            return
        self.post_message(OpenScenario(entry.scenario, resume=resume))

    @on(Input.Submitted, "#filter")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter (it arrives after the letters typed before it)."""
        event.stop()
        self._open(resume=True)

    @on(OptionList.OptionSelected, "#scenarios")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(resume=True)

    def action_clear_or_quit(self) -> None:
        field = self.query_one("#filter", Input)
        if field.value:
            field.value = ""
        else:
            self.app.exit()

    def action_reload(self) -> None:
        self.is_loading = True
        self._show_loading()
        self.load_entries()

    def action_help(self) -> None:
        self.app.push_screen("help")

    def palette_commands(self) -> list[SystemCommand]:
        from simulator.palette import binding_commands

        return binding_commands(self)
