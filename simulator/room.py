"""Room mode: a whole room plays one conversation on a projector.

At each decision the facilitator enters the room's vote counts per option (or just the
majority). The play follows the majority; on a tie the facilitator picks one of the tied
options. The vote split is shown beside the coaching, and the debrief shows the room's
path with the split at each decision. Plays are recorded with mode `room` and the counts.

This module is the room's logic, without a screen: `parley room --votes` uses it headless
and simulator.screens.room draws it (simulator.room_app runs it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from engine.conversation import Conversation
from engine.errors import ParleyError
from engine.events import Step
from engine.feedback import coaching_for
from engine.feedback.layout import decisive_lines
from engine.messages import outcome_word, t
from engine.model import Choice
from engine.play import debrief_for
from engine.records import RecordsError
from simulator.recording import Recorder


class VoteError(ParleyError):
    """Vote counts that do not fit the decision (wrong number of options, a tie, ...).

    `key` and `fields` name the message in engine.messages, so the room screen can show it
    in the play's language; `message` (the CLI's) is English.
    """

    code = "P320"

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        key: str | None = None,
        fields: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.key = key
        self.fields = dict(fields or {})

    @classmethod
    def of(cls, key: str, hint: str | None = None, **fields: object) -> VoteError:
        """The error whose message is `room.error.<key>` (English here, any language later)."""
        full = f"room.error.{key}"
        return cls(t(full, "en", **fields), hint=hint, key=full, fields=fields)

    def text(self, lang: str | None) -> str:
        """The message in `lang` (English when it has no catalogue key)."""
        return t(self.key, lang, **self.fields) if self.key else self.message


class RoomTie(VoteError):
    """The room's vote is tied (`top` votes each): the facilitator must pick one of `tied`."""

    def __init__(
        self,
        tied: Sequence[Choice],
        top: int,
        hint: str | None = None,
        numbers: Sequence[int] = (),
    ) -> None:
        self.tied = tuple(tied)
        self.top = top
        self.numbers = tuple(numbers)  # the tied options' numbers on screen
        super().__init__(self.text("en"), hint=hint, key="room.error.tie")

    def text(self, lang: str | None) -> str:
        # learners see option numbers, never choice ids
        names = t("room.and", lang).join(str(n) for n in self.numbers)
        return t("room.error.tie", lang, names=names, top=self.top)


@dataclass(frozen=True, slots=True)
class Vote:
    """What the facilitator entered for one decision: counts per option and/or a pick."""

    counts: tuple[int, ...] | None = None
    pick: str | None = None  # an option number (1-based, as shown) or a choice id


@dataclass(frozen=True, slots=True)
class RoomStep:
    step: Step
    options: tuple[Choice, ...]  # what was offered, in the order shown
    counts: tuple[int, ...] | None  # the room's votes, per option (None: majority only)
    tie: bool = False

    @property
    def votes(self) -> dict[str, int] | None:
        if self.counts is None:
            return None
        return {c.id: n for c, n in zip(self.options, self.counts, strict=True)}

    @property
    def total_votes(self) -> int:
        return sum(self.counts) if self.counts else 0


def parse_votes(text: str) -> list[Vote]:
    """`--votes "12,3,0;2,9;@2;5,5@1"`: one decision per `;`. Counts per option, separated
    by commas, optionally `@N` (option N, or a choice id) to break a tie; `@N` alone gives
    just the majority."""
    votes: list[Vote] = []
    for number, part in enumerate(text.split(";"), start=1):
        part = part.strip()
        if not part:
            continue
        counts_text, _, pick = part.partition("@")
        counts_text, pick = counts_text.strip(), pick.strip()
        counts: tuple[int, ...] | None = None
        if counts_text:
            try:
                counts = tuple(int(c) for c in counts_text.split(","))
            except ValueError:
                raise VoteError(
                    f"decision {number}: '{part}' is not a list of vote counts",
                    hint='write counts per option like "12,3,0", decisions separated by ";"',
                ) from None
            if any(c < 0 for c in counts):
                raise VoteError(f"decision {number}: vote counts cannot be negative ('{part}')")
        elif not pick:
            raise VoteError(f"decision {number}: nothing given", hint='e.g. "12,3,0" or "@2"')
        votes.append(Vote(counts, pick or None))
    return votes


def _find(pick: str, options: Sequence[Choice]) -> Choice | None:
    if pick.isdigit():
        n = int(pick)
        return options[n - 1] if 1 <= n <= len(options) else None
    return next((c for c in options if c.id == pick), None)


def majority(vote: Vote, options: Sequence[Choice]) -> tuple[Choice, bool]:
    """The option the room chose, and whether the facilitator broke a tie."""
    if not options:
        raise VoteError.of("ended")
    listing = ", ".join(str(i) for i in range(1, len(options) + 1))
    number = {c.id: i for i, c in enumerate(options, start=1)}
    pick = _find(vote.pick, options) if vote.pick else None
    if vote.pick and pick is None:
        raise VoteError.of("not_an_option", pick=vote.pick, listing=listing)
    if vote.counts is None:
        assert pick is not None
        return pick, False
    if any(n < 0 for n in vote.counts):
        raise VoteError.of("negative")
    if len(vote.counts) != len(options):
        raise VoteError.of(
            "count_mismatch",
            hint="give one count per option, in the order shown (0 for none)",
            counts=len(vote.counts),
            options=len(options),
            listing=listing,
        )
    if sum(vote.counts) == 0:
        raise VoteError.of("no_votes", hint="enter the room's counts, or just @N")
    top = max(vote.counts)
    tied = [c for c, n in zip(options, vote.counts, strict=True) if n == top]
    if len(tied) == 1:
        if pick is not None and pick is not tied[0]:
            raise VoteError.of(
                "not_majority",
                hint="the play follows the majority; a pick only breaks a tie",
                majority=number[tied[0].id],
                pick=number[pick.id],
            )
        return tied[0], False
    if pick is None:
        raise RoomTie(
            tied,
            top,
            hint="the facilitator picks one: add @N after the counts, e.g. 5,5@1",
            numbers=[number[c.id] for c in tied],
        )
    if pick not in tied:
        raise VoteError.of("not_tied", pick=number[pick.id])
    return pick, True


class RoomPlay:
    """One room's play: a Conversation that moves by votes, recorded with mode `room`."""

    def __init__(self, conv: Conversation, recorder: Recorder | None = None) -> None:
        self.conv = conv
        self.recorder = recorder
        self.steps: list[RoomStep] = []
        self.problem: str | None = None  # a records problem; the room plays on
        if recorder is not None:
            recorder.on_start(conv)

    @property
    def offered(self) -> list[Choice]:
        """The options in the order shown (votes are counted in this order)."""
        return self.conv.presented()

    def vote(self, vote: Vote) -> RoomStep:
        options = tuple(self.offered)
        choice, tie = majority(vote, options)
        counts = vote.counts
        if self.recorder is not None and counts is not None:
            self.recorder.set_votes(
                self.conv.turns + 1,
                {c.id: n for c, n in zip(options, counts, strict=True)},
            )
        step = self.conv.choose(choice.id)
        room_step = RoomStep(step, options, counts, tie)
        self.steps.append(room_step)
        if self.recorder is not None:
            try:
                self.recorder.on_step(self.conv, step)
                if self.conv.ended:
                    self.recorder.on_end(self.conv)
                self.problem = None
            except RecordsError as exc:
                self.problem = str(exc)
        return room_step

    def close(self) -> None:
        if self.recorder is not None:
            self.recorder.close()


# ---------------------------------------------------------------- words


def bar(share: float, width: int = 20) -> str:
    filled = round(share * width)
    return "█" * filled + "·" * (width - filled)


def _short(text: str, limit: int = 48) -> str:
    """The start of an option's text, for a line beside its vote bar."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    cut = words[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,.;:") + "…"


def split_lines(rs: RoomStep, lang: str, width: int = 20, label: int = 48) -> list[str]:
    """The room's vote at one decision: a bar per option, the chosen one marked, then the
    start of its text (at most `label` characters; 0: the option's number only)."""
    out: list[str] = []
    total = rs.total_votes
    for i, c in enumerate(rs.options, start=1):
        mark = "▶" if c.id == rs.step.choice else " "
        if rs.counts is None:
            out.append(f"{mark} {i}. {c.text.get(lang)}")
            continue
        n = rs.counts[i - 1]
        share = n / total if total else 0.0
        said = f"  {_short(c.text.get(lang), label)}" if label else ""
        out.append(f"{mark} {i}. {bar(share, width)} {n:>3} ({round(share * 100):>3}%){said}")
    if rs.counts is None:
        out.append(f"  {t('room.majority_only', lang)}")
    elif rs.tie:
        out.append(f"  {t('room.tie_picked', lang)}")
    return out


def coaching_lines(play: RoomPlay, rs: RoomStep) -> list[str]:
    return coaching_for(play.conv, rs.step).lines(play.conv.lang)


def debrief_lines(play: RoomPlay) -> list[str]:
    """The room's path with the split at each decision, then the ending (in the play's
    language)."""
    conv = play.conv
    lang = conv.lang
    head = t("room.path", lang)
    out = [head, "=" * len(head)]
    for rs in play.steps:
        node = conv.scenario.nodes[rs.step.node]
        out.append("")
        out.append(
            t(
                "room.turn_at",
                lang,
                turn=rs.step.turn,
                who=conv.scenario.speaker_name(node.speaker, lang),
                text=node.text.get(lang),
            )
        )
        chosen = conv.scenario.choices[rs.step.choice]
        out.append(f"  {t('room.said', lang, text=chosen.text.get(lang))}")
        out += ["  " + line for line in split_lines(rs, lang)]
        if rs.counts is not None and rs.total_votes:
            share = round(max(rs.counts) / rs.total_votes * 100)
            out.append(f"  {t('room.agreed', lang, percent=share, votes=rs.total_votes)}")
    out.append("")
    if conv.ending is not None:
        outcome = outcome_word(conv.ending.outcome, lang)
        out.append(t("debrief.ending", lang, title=conv.ending.title.get(lang), outcome=outcome))
        out.append(conv.ending.debrief.get(lang))
        out.append(
            t(
                "room.standing",
                lang,
                trust=conv.trust,
                level=conv.scenario.level_label(conv.trust_level, lang),
                rung=conv.scenario.rung_label(conv.rung, lang),
            )
        )
        totals = ", ".join(
            f"{d.label.get(lang)} {conv.scores.get(d.key, 0):+d}"
            for d in conv.scenario.framework.dimensions
        )
        out.append(t("coach.scores", lang, scores=totals))
        d = debrief_for(conv)
        if d.total.percent is not None:
            out.append(
                f"{t('debrief.total', lang)}: {d.total.total:+d} / "
                f"{t('fb.col_model', lang)} {d.total.model:+d} ({d.total.percent}%)"
            )
        decisive = decisive_lines(d, 10_000)
        if decisive:
            out += ["", *(x.strip() for x in decisive)]
        if d.reflection:
            out += ["", t("fb.reflection", lang), *(f"  - {x}" for x in d.reflection)]
    else:
        out.append(t("room.not_ended", lang))
    notes = conv.scenario.trainer_notes
    if notes is not None:
        head = t("fb.trainer_notes", lang)
        out += ["", head, "-" * len(head), notes.get(lang).strip()]
    return out
