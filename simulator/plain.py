"""Plain mode: play in a terminal with lines only (`parley play SCENARIO --plain`).

For screen readers' terminal support, braille displays, TERM=dumb and pipes: no box drawing,
no colour, no cursor movement. Each turn is a few paragraphs; the options are numbered and
the player answers by typing a number and Enter. Coaching (in `immediate` mode) and the
debrief are paragraphs too. Parley's own words follow the play's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO

from engine.conversation import Conversation
from engine.errors import ParleyError
from engine.events import Step
from engine.feedback import Debrief, FeedbackMode, coaching_for
from engine.feedback.layout import decisive_lines, defensible_lines, percent_text
from engine.messages import language, outcome_word, t
from engine.model import Scenario
from engine.play import debrief_for
from simulator.hooks import PlayHooks

WIDTH = 72

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "options": "Your options:",
        "prompt": "Type a number from 1 to {n} and press Enter (q stops):",
        "again": "Please type a number from 1 to {n}, or q to stop.",
        "stopped": "Stopped. Nothing more is asked; run the same command to play again.",
        "you": "You",
        "dimension": "{label}: you {total}, model answer {best} ({percent}).",
        "total": "Total: you {total}, model answer {best} ({percent}).",
    },
    "nl": {
        "options": "Je opties:",
        "prompt": "Typ een getal van 1 tot en met {n} en druk op Enter (q stopt):",
        "again": "Typ een getal van 1 tot en met {n}, of q om te stoppen.",
        "stopped": "Gestopt. Voer dezelfde opdracht uit om opnieuw te spelen.",
        "you": "Jij",
        "dimension": "{label}: jij {total}, modelantwoord {best} ({percent}).",
        "total": "Totaal: jij {total}, modelantwoord {best} ({percent}).",
    },
    "sv": {
        "options": "Dina val:",
        "prompt": "Skriv en siffra från 1 till {n} och tryck Enter (q avslutar):",
        "again": "Skriv en siffra från 1 till {n}, eller q för att avsluta.",
        "stopped": "Avslutat. Kör samma kommando för att spela igen.",
        "you": "Du",
        "dimension": "{label}: du {total}, modellsvar {best} ({percent}).",
        "total": "Totalt: du {total}, modellsvar {best} ({percent}).",
    },
}


def _w(key: str, lang: str, **fields: object) -> str:
    return _WORDS[language(lang) if language(lang) in _WORDS else "en"][key].format(**fields)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _paras(text: str) -> list[str]:
    return [_flat(p) for p in text.strip().split("\n\n") if p.strip()]


class PlainPlayer:
    """One play in plain lines, reading answers from `stdin` and writing to `stdout`."""

    def __init__(
        self,
        scenario: Scenario,
        stdin: IO[str],
        stdout: IO[str],
        lang: str | None = None,
        mode: FeedbackMode = "immediate",
        hooks: Sequence[PlayHooks] = (),
        warn: Callable[[str], None] | None = None,
        seed: int | None = None,
    ) -> None:
        self.sc = scenario
        self.stdin = stdin
        self.stdout = stdout
        self.mode = mode
        self.hooks = list(hooks)
        self.warn = warn or (lambda message: None)
        self.conv = Conversation(scenario, lang=lang, seed=seed)  # seed: option order
        self.lang = self.conv.lang

    # ------------------------------------------------------------------ output
    def say(self, *paragraphs: str) -> None:
        for p in paragraphs:
            self.stdout.write(p + "\n")
        self.stdout.write("\n")
        self.stdout.flush()

    def _node(self, node_id: str) -> None:
        node = self.sc.nodes[node_id]
        out = []
        if node.narration is not None:
            out.append(f"({_flat(node.narration.get(self.lang))})")
        name = self.sc.speaker_name(node.speaker, self.lang)
        paras = _paras(node.text.get(self.lang))
        if paras:
            out.append(f"{name}: {paras[0]}")
            out += paras[1:]
        self.say(*out)

    def _hook(self, name: str, *args: object) -> None:
        for hook in self.hooks:
            try:
                getattr(hook, name)(self.conv, *args)
            except ParleyError as exc:  # a records problem never stops the play
                self.warn(f"parley: note: {exc.message}")

    # ------------------------------------------------------------------ play
    def run(self) -> Conversation:
        sc, lang = self.sc, self.lang
        self.say(_flat(sc.title.get(lang)), *_paras(sc.summary.get(lang)))
        for node_id in self.conv.path:
            self._node(node_id)
        self._hook("on_start")
        while True:
            offered = self.conv.presented()  # numbered in the order shown
            if not offered:
                break
            index = self._ask(len(offered), [c.text.get(lang) for c in offered])
            if index is None:
                self.say(_w("stopped", lang))
                return self.conv
            step = self.conv.choose(offered[index].id)
            self._hook("on_step", step)
            self._after(step)
        if self.conv.ended:
            self._hook("on_end")
            self._debrief(debrief_for(self.conv))
        else:
            self.say(t("play.stalled", lang))
        return self.conv

    def _ask(self, n: int, texts: list[str]) -> int | None:
        lang = self.lang
        lines = [_w("options", lang)]
        lines += [f"{i}. {_flat(text)}" for i, text in enumerate(texts, 1)]
        self.say(*lines)
        self.stdout.write(_w("prompt", lang, n=n) + "\n")
        self.stdout.flush()
        while True:
            line = self.stdin.readline()
            if not line:  # end of input
                self.stdout.write("\n")
                return None
            answer = line.strip().lower()
            if answer in ("q", "quit", "exit"):
                return None
            if answer.isdigit() and 1 <= int(answer) <= n:
                self.stdout.write("\n")
                return int(answer) - 1
            self.stdout.write(_w("again", self.lang, n=n) + "\n")
            self.stdout.flush()

    def _after(self, step: Step) -> None:
        lang = self.lang
        choice = self.sc.choices[step.choice]
        you = self.sc.speaker_name("you", lang) if "you" in self.sc.characters else "You"
        self.say(f"{you}: {_flat(choice.text.get(lang))}")
        if self.mode == "immediate":
            self.say(*coaching_for(self.conv, step).lines(lang))
        for node_id in step.entered:
            self._node(node_id)

    def _debrief(self, d: Debrief) -> None:
        lang = self.lang
        self.say(t("debrief.head", lang, title=d.title))
        if d.ending_title is not None:
            outcome = outcome_word(d.outcome or "", lang)
            self.say(
                t("debrief.ending", lang, title=d.ending_title, outcome=outcome),
                *_paras(d.ending_debrief or ""),
            )
        defensible = defensible_lines(d, 10_000)
        if defensible:
            self.say(*(x.strip() for x in defensible))
        decisive = decisive_lines(d, 10_000)
        if decisive:
            self.say(*(x.strip() for x in decisive))
        lines = [t("fb.scores_intro", lang, framework=d.framework_name) + ":"]
        for x in d.dimensions:
            lines.append(
                _w(
                    "dimension",
                    lang,
                    label=x.label,
                    total=f"{x.total:+d}",
                    best=f"{x.model:+d}",
                    percent=percent_text(x.percent),
                )
            )
        lines.append(
            _w(
                "total",
                lang,
                total=f"{d.total.total:+d}",
                best=f"{d.total.model:+d}",
                percent=percent_text(d.total.percent),
            )
        )
        self.say(*lines)
        if d.strongest is not None:
            s = d.strongest
            self.say(
                t("debrief.strongest", lang, label=s.label, percent=percent_text(s.percent)),
                s.question,
            )
        if d.weakest is not None:
            w = d.weakest
            why = [t("fb.why", lang, why=w.why)] if w.why else []
            weakest = t("debrief.weakest", lang, label=w.label, percent=percent_text(w.percent))
            self.say(weakest, w.question, *why)
        journey = " -> ".join(str(v) for v in (d.trust_start, *d.trust_trajectory))
        self.say(
            t(
                "debrief.trust",
                lang,
                who=d.counterpart,
                journey=journey,
                final=d.trust_final,
                level=d.trust_level_name,
            )
        )
        if d.road_not_taken:
            lines = [t("debrief.road", lang)]
            for r in d.road_not_taken:
                lines.append(
                    t(
                        "debrief.road_said",
                        lang,
                        turn=r.turn,
                        text=r.chosen_text,
                        total=f"{r.chosen_total:+d}",
                        trust=f"{r.chosen_trust:+d}",
                    )
                )
                lines.append(
                    t(
                        "debrief.road_could",
                        lang,
                        text=r.better_text,
                        total=f"{r.better_total:+d}",
                        trust=f"{r.better_trust:+d}",
                    )
                )
            self.say(*lines)
        if d.endings_not_reached:
            self.say(t("debrief.endings_missed", lang), *d.endings_not_reached)
        if d.model_play.lines and d.model_play.choices != d.choices:
            script = [t("fb.model_head", lang)]
            script += [f"{x.speaker}: {x.text}" for x in d.model_play.lines]
            self.say(*script)
        if d.reflection:
            self.say(t("fb.reflection", lang), *d.reflection)
