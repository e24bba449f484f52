"""`parley room SCENARIO`: a room votes at each decision; the play follows the majority."""

from __future__ import annotations

import click

from simulator.cli.common import complete_scenario, lrs_options, pass_settings, resolve_scenario
from simulator.settings import Settings


@click.command("room")
@click.argument("scenario", shell_complete=complete_scenario)
@click.option(
    "--votes",
    default=None,
    help='Play headless with these votes: counts per option, decisions separated by ";", '
    'e.g. "12,3,0;2,9". Add @N to break a tie (5,5@1), or give just @N for the majority.',
)
@click.option("--cohort", default=None, help="Workshop name for the records.")
@click.option(
    "--participant", default=None, help="Name to record the room's play under (e.g. the room)."
)
@click.option(
    "--db",
    "db_path",
    default=None,
    metavar="FILE|URL",
    help="Play records: a SQLite file or a postgresql:// URL (default: your user data folder).",
)
@click.option("--no-record", is_flag=True, help="Do not record this play.")
@click.option("--lang", default=None, help="Language, e.g. en, nl, sv.")
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=None,
    help="Option order of play SEED (the screen draws a new one; --votes keeps file order "
    "unless given). Votes are counted in the order shown.",
)
@lrs_options
@pass_settings
def command(
    settings: Settings,
    scenario: str,
    votes: str | None,
    cohort: str | None,
    participant: str | None,
    db_path: str | None,
    no_record: bool,
    lang: str | None,
    seed: int | None = None,
    lrs: str | None = None,
    lrs_credentials: str | None = None,
) -> None:
    """Room mode for a projector: at each decision enter the room's vote counts (or the
    majority); the play follows the majority, shows the split beside the coaching, and
    the debrief shows the room's path. Recorded with mode `room`."""
    from engine.conversation import Conversation
    from engine.messages import t
    from engine.play import node_lines
    from engine.records import RecordsError
    from simulator.recording import Recorder
    from simulator.room import RoomPlay, coaching_lines, debrief_lines, parse_votes, split_lines

    settings = settings.with_given(
        participant=participant,
        cohort=cohort,
        db_path=db_path,
        lang=lang,
        lrs=lrs,
        lrs_credentials=lrs_credentials,
    )
    sc = resolve_scenario(settings, scenario)
    lang = settings.lang
    recorder = None if no_record else Recorder.from_settings(settings, mode="room")
    if recorder is not None and settings.lrs:
        from simulator.lrs_hook import with_lrs

        recorder = with_lrs(recorder, settings, lambda message: click.echo(message, err=True))
    if votes is None:
        from simulator.room_app import run_room

        run_room(sc, lang=lang, recorder=recorder, seed=settings.with_given(seed=seed).play_seed())
        return
    plan = parse_votes(votes)
    play = RoomPlay(Conversation(sc, lang=lang, seed=seed), recorder)
    conv = play.conv
    lang = conv.lang
    out: list[str] = [sc.title.get(lang), "=" * len(sc.title.get(lang)), ""]
    for node_id in conv.path:
        out += node_lines(conv, node_id)
    try:
        for vote in plan:
            if conv.ended:
                out += ["", t("room.extra_votes", lang)]
                break
            rs = play.vote(vote)
            out += ["", t("room.turn_votes", lang, turn=rs.step.turn)]
            out += ["  " + line for line in split_lines(rs, lang)]
            out += ["  " + line for line in coaching_lines(play, rs)]
            out.append("")
            for node_id in rs.step.entered:
                out += node_lines(conv, node_id)
    finally:
        click.echo("\n".join(out))
        play.close()
    click.echo("")
    if conv.ended:
        click.echo("\n".join(debrief_lines(play)))
    else:
        click.echo(t("room.options_now", lang))
        for i, c in enumerate(conv.presented(), start=1):
            click.echo(f"  {i}. {c.text.get(lang)}")
    if play.problem:
        raise RecordsError(f"the room's play was not fully recorded: {play.problem}")
    if recorder is not None:
        from engine.records import display_target

        click.echo(
            f"parley: recorded the room's play in {display_target(settings.records_target())}",
            err=True,
        )
