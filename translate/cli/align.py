"""``bitext align``: align an existing English translation with its Chinese."""

from __future__ import annotations

from pathlib import Path

import click

_FILE = click.Path(dir_okay=True, path_type=Path)


@click.command()
@click.argument("source", type=_FILE)
@click.argument("english", type=_FILE)
@click.option("--below", type=click.FloatRange(0, 1), default=None, metavar="CONFIDENCE",
              help="List the beads less sure than this for review (default: 0.5).")
@click.option("--dry-run", is_flag=True, help="Align and report, write nothing.")
@click.option("--force", is_flag=True,
              help="Overwrite entries a translator wrote or marked fuzzy too (as bitext postedit import --force).")
@click.option("--sentences", is_flag=True,
              help="SOURCE and ENGLISH are sentence files, one sentence a line (UTF-8): align them and print the "
                   "beads. Works outside an edition.")
@click.option("--glossary", "glossary_path", type=_FILE, default=None,
              help="A termbase in the edition's CSV format (like glossary/terms.csv) whose targets count as evidence.")
@click.option("--translations", type=_FILE, default=None,
              help="An engine's English of each Chinese sentence, one a line, compared with the English.")
@click.option("--no-dictionary", is_flag=True, help="Align without CC-CEDICT's senses (length, figures, names only).")
@click.option("--confidence", is_flag=True, help="Print each bead's confidence (0–1) after a tab.")
@click.pass_context
def align(ctx: click.Context, source: Path, english: Path, below: float | None, dry_run: bool, force: bool,
          sentences: bool, glossary_path: Path | None, translations: Path | None, no_dictionary: bool,
          confidence: bool) -> None:
    """Align an English translation with its Chinese, sentence by sentence.

    SOURCE is an article of the edition (its slug, or corpus/<slug>.md) and ENGLISH its
    existing English (plain text, Markdown, HTML or Word .docx): the English is aligned
    with the article's sentences and written into corpus/<slug>.en.po as English of
    origin "aligned", which the build uses; the uncertain beads are listed for review
    (bitext postedit status lists them too). Entries a translator wrote are conflicts,
    never overwritten (unless --force).

    With --sentences, SOURCE is a file of Chinese sentences and ENGLISH a file of English
    ones, one a line; the beads are printed one a line as the research aligners write
    them, 0-based line indices: [0]:[0] (1-1), [1]:[1,2] (1-2), [2,3]:[3] (2-1),
    [4]:[] (the English leaves line 4 out), []:[5] (the English adds line 5).

    \b
    Example:
      bitext align 000-4695234a published/000-4695234a.en.docx
      bitext align --sentences book.zh.txt book.en.txt > beads.txt
    """
    if not sentences:
        _align_article(ctx, source, english, below, dry_run, force)
        return
    from translate.align import align as align_sentences
    from translate.align.files import read_sentences

    zh = read_sentences(source)
    en = read_sentences(english)
    engine_english = None
    if translations is not None:
        engine_english = read_sentences(translations)
        if len(engine_english) != len(zh):
            from translate.errors import BitextError

            raise BitextError(f"has {len(engine_english):,} lines for {len(zh):,} Chinese sentences in {source}; "
                              "give one translation a line", path=translations)
    glossary = None
    if glossary_path is not None:
        from translate.glossary import Glossary

        glossary = Glossary.load(glossary_path)
    beads = align_sentences(zh, en, glossary=glossary, dictionary=not no_dictionary, translations=engine_english)
    click.echo("".join(f"{bead}\t{bead.confidence:.3f}\n" if confidence else f"{bead}\n" for bead in beads), nl=False)


#: Beads to check listed per article.
UNCERTAIN_SHOWN = 20


def _align_article(ctx: click.Context, source: Path, english: Path, below: float | None, dry_run: bool,
                   force: bool) -> None:
    from translate.cli.options import settings_from
    from translate.models import ALIGN_REVIEW_BELOW

    settings = settings_from(ctx)  # outside an edition: how to start one
    name = str(source)
    if not name.endswith(".md") and source.is_file():
        raise click.UsageError(f"{name} is a file, not an article of the edition: give an article's slug (the name "
                               "of a corpus/*.md file), or --sentences ZH_FILE EN_FILE to align two sentence files")
    from translate.align.edition import align_article
    from translate.errors import PostEditError

    threshold = ALIGN_REVIEW_BELOW if below is None else below
    result = align_article(settings, name, english, force=force, dry_run=dry_run, below=threshold)
    beads = ", ".join(f"{count} {kind}" for kind, count in result.beads.items() if count)
    where = " (dry run: nothing written)" if dry_run else (f" → {result.store}" if result.written else "")
    click.echo(f"{result.slug}: {sum(result.beads.values())} beads ({beads}), {len(result.uncertain)} to check "
               f"(under {threshold:.2f} or not in the English); {result.count('applied')} applied, "
               f"{result.count('unchanged')} unchanged, {result.count('conflict')} conflicts, "
               f"{result.count('skipped')} skipped{where}")
    for outcome in result.outcomes:
        if outcome.kind == "conflict" or outcome.detail and outcome.kind != "unchanged":
            click.echo(f"  {outcome.kind}: {result.store}:{outcome.line}: {outcome.segment}: {outcome.detail}"
                       if outcome.line else f"  {outcome.kind}: {outcome.segment}: {outcome.detail}")
    for ids in result.uncertain[:UNCERTAIN_SHOWN]:
        confidence = result.confidences.get(ids[0])
        how = "not in the English" if confidence is None else f"{confidence:.2f}"
        click.echo(f"  check {'+'.join(ids)} ({how})")
    if len(result.uncertain) > UNCERTAIN_SHOWN:
        click.echo(f"  … and {len(result.uncertain) - UNCERTAIN_SHOWN} more to check (bitext postedit status)")
    conflicts = result.count("conflict")
    if conflicts:
        done = "the rest would be" if dry_run else "the rest was"
        raise PostEditError(f"{conflicts} conflict(s) not aligned ({done}): a translator's English stands "
                            "there; --force overwrites it")


COMMANDS = [align]
