"""`parley i18n`: hand a scenario's texts to a translator and take the translations back."""

from __future__ import annotations

from pathlib import Path

import click

from simulator.cli.common import complete_scenario, emit, pass_settings
from simulator.settings import Settings

FORMATS = ("po", "xliff")


@click.group("i18n")
def command() -> None:
    """Translator round trip: export a scenario's texts, import the translations.

    \b
      parley i18n export budget-cut --lang de -o de.po
      (the translator fills in the PO file with any PO editor: Poedit, Weblate, Lokalize)
      parley i18n import scenarios/budget-cut.yaml de.po

    Each text has a stable id (nodes.opening.choices.cave.text); import writes only the
    translated values, with the hash of the source beside each one, so `parley check`
    warns (P230) when a source text changes after it was translated.
    """


def _read_source(settings: Settings, ref: str) -> tuple[Path, str]:
    from engine.errors import ParleyError
    from engine.library import find_scenario

    try:
        path = find_scenario(ref, settings.all_scenario_dirs())
    except ParleyError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        return path, path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"cannot read {path}: {exc}") from None


@command.command("export")
@click.argument("scenario", shell_complete=complete_scenario)
@click.option("--lang", required=True, help="The language to translate into, e.g. de, nl, sv.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="po (gettext, the default) or xliff (XLIFF 2.0); taken from -o's suffix if not given.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None, help="File to write."
)
@pass_settings
def export(
    settings: Settings, scenario: str, lang: str, fmt: str | None, output: str | None
) -> None:
    """Write SCENARIO's texts with their current LANG translations, for a translator."""
    from engine.i18n import LANG, read
    from engine.i18n_files import to_po, to_xliff

    if not LANG.match(lang):
        raise click.BadParameter(f"'{lang}' is not a language code", param_hint="--lang")
    path, text = _read_source(settings, scenario)
    doc = read(text, str(path))
    if lang == doc.language:
        raise click.BadParameter(
            f"'{lang}' is the scenario's own language; choose one to translate into",
            param_hint="--lang",
        )
    if fmt is None:
        fmt = "xliff" if output and output.endswith((".xlf", ".xliff")) else "po"
    entries = doc.entries(lang)
    sid = path.stem
    out = (to_po if fmt == "po" else to_xliff)(entries, lang, sid, doc.language)
    emit(out, output)
    done = sum(1 for e in entries if e.translation)
    stale = sum(1 for e in entries if e.stale)
    click.echo(
        f"{len(entries)} texts, {done} translated into {lang}"
        + (f", {stale} of them out of date (marked fuzzy)" if stale else ""),
        err=True,
    )


@command.command("import")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.argument("translations", type=click.Path(dir_okay=False, exists=True))
@click.option("--lang", default=None, help="Language of the translations (default: the file's).")
@click.option(
    "--confirm-unchanged",
    is_flag=True,
    help="Also record the source hash beside translations that did not change (after a "
    "review), so later source edits flag them.",
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def import_(
    scenario: str, translations: str, lang: str | None, confirm_unchanged: bool, dry_run: bool
) -> None:
    """Write the translations in TRANSLATIONS (.po or .xlf) into the SCENARIO file."""
    from engine.errors import ParleyError
    from engine.i18n import apply, read
    from engine.i18n_files import from_po, from_xliff
    from engine.loader import load_scenario_text

    path = Path(scenario)
    try:
        text = path.read_text(encoding="utf-8")
        tr_text = Path(translations).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"cannot read: {exc}") from None
    reader = from_xliff if translations.endswith((".xlf", ".xliff")) else from_po
    file_lang, found = reader(tr_text, translations)
    lang = lang or file_lang
    if not lang:
        raise click.UsageError(f"{translations} does not say its language; give --lang")
    doc = read(text, str(path))
    new, report = apply(doc, lang, found, confirm_unchanged=confirm_unchanged)
    try:  # the result must still be a scenario that loads
        load_scenario_text(new, str(path), base_dir=path.parent)
    except ParleyError as exc:
        raise click.ClickException(
            f"the translations would make {path} fail to load; nothing written:\n{exc}"
        ) from None
    for tid in report.unknown:
        click.echo(
            f"warning: {translations}: {tid} is not a text of {path.name} (skipped)", err=True
        )
    for tid in report.outdated:
        click.echo(
            f"warning: {tid}: translated from an older source text; `parley check` will flag it",
            err=True,
        )
    verb = "would write" if dry_run else "wrote"
    click.echo(
        f"{verb} {len(report.written)} {lang} translations into {path}"
        f" ({len(report.unchanged)} unchanged)",
        err=True,
    )
    if not dry_run and report.written:
        try:
            path.write_text(new, encoding="utf-8")
        except OSError as exc:
            raise click.UsageError(f"cannot write {path}: {exc.strerror}") from None


@command.command("app")
@click.option("--lang", required=True, help="The language of Parley's own words, e.g. de.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), default=None, help="File to write."
)
@click.option(
    "--install",
    "install",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="Check a translated catalogue and put it where Parley finds it.",
)
@click.option(
    "--check",
    "check",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[FILE]",
    help="Check a catalogue (default: the installed one) and list its problems.",
)
def app_words(lang: str, output: str | None, install: str | None, check: str | None) -> None:
    """Parley's own words (coaching labels, debrief, the app's keys and notices) as a PO file.

    \b
      parley i18n app --lang de -o de.po        # a catalogue to translate
      parley i18n app --lang de --check de.po   # what is wrong with it, line by line
      parley i18n app --lang de --install de.po # check it and use it from now on
      parley --lang de                          # the app speaks German

    The catalogue has every message: msgctxt is its key, msgid the English, msgstr your
    translation (keep the {placeholders}). For a language Parley already has (or one you
    installed) it comes with the current translations; English that changed since a
    translation was made is marked fuzzy. Scenario texts are translated with
    `parley i18n export`.
    """
    from engine.i18n import LANG
    from engine.messages import (
        DEFAULT_LANG,
        TEMPLATE,
        catalogue_files,
        english,
        shipped_languages,
    )
    from engine.messages.po import CatalogueError, Translated, merge, read_catalogue
    from simulator.paths import locales_dir

    if not LANG.match(lang) or lang == DEFAULT_LANG:
        raise click.BadParameter(
            f"'{lang}' is not a language to translate into", param_hint="--lang"
        )
    if install is not None and check is not None:
        raise click.UsageError("give --check or --install, not both")
    if install is None and check is None:
        current: dict[str, Translated] = {}
        for path in catalogue_files(lang):  # shipped, then the trainer's
            current.update(read_catalogue(path, english()).entries)
        try:
            emit(merge(TEMPLATE, lang, current), output)
        except CatalogueError as exc:  # only if Parley's own template were damaged
            raise click.ClickException(str(exc)) from None
        return
    installed = locales_dir() / f"{lang}.po"
    path = Path(install or check or installed)
    if not path.is_file():
        raise click.UsageError(f"no catalogue for {lang} at {path}; give its file: --check FILE")
    found = read_catalogue(path, english())
    if not found.readable:
        if check is not None:
            click.echo(f"error: {found.problems[0]}", err=True)
            raise SystemExit(1)
        raise click.UsageError(f"nothing installed: {found.problems[0]}")
    for problem in found.problems:
        click.echo(f"error: {problem}", err=True)
    for warning in found.warnings:
        click.echo(f"warning: {warning}", err=True)
    if found.language and found.language != lang:
        raise click.UsageError(
            f"{path} says its language is {found.language} (its Language header), not {lang}"
        )
    total = len(english())
    summary = (
        f"{path}: {len(found.messages)} of {total} messages in {lang} "
        f"({len(found.problems)} error{'s' if len(found.problems) != 1 else ''}, "
        f"{len(found.warnings)} warning{'s' if len(found.warnings) != 1 else ''})"
    )
    if check is not None:
        click.echo(summary)
        if found.problems:
            raise SystemExit(1)
        return
    if not found.messages:
        raise click.UsageError(f"{path} has no usable translations; nothing installed")
    import shutil

    try:
        installed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, installed)
    except OSError as exc:
        raise click.UsageError(f"cannot write {installed}: {exc.strerror}") from None
    rest = "Parley's own" if lang in shipped_languages() else "English"
    click.echo(f"installed {installed}: {summary}; the rest stay {rest}", err=True)
