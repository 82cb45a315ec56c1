"""``bitext postedit``: the translators' English in ``corpus/<slug>.en.po``."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.options import settings_from
from translate.errors import QualityError


@click.group()
def postedit() -> None:
    """Correct the English: PO stores per article, round trips with CAT tools.

    \b
    Example:
      bitext postedit status
      bitext postedit check corpus/000-4695234a.en.po
    """


@postedit.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def check_command(ctx: click.Context, files: tuple[Path, ...]) -> None:
    """Proof translated entries: glossary terms, Chinese left over, markup, quotes.

    Reads only; exits 1 when any entry has a problem. Without FILES, checks every
    store in the corpus folder.

    \b
    Example:
      bitext postedit check
      bitext postedit check corpus/000-4695234a.en.po
    """
    from translate.glossary import Glossary
    from translate.postedit.proof import format_problems, proof_store
    from translate.postedit.store import PO_SUFFIX

    settings = settings_from(ctx)
    glossary = Glossary.load(settings.glossary_path)
    paths = list(files) or sorted(settings.corpus_dir.glob(f"*{PO_SUFFIX}"))
    count = 0
    for path in paths:
        for line in format_problems(path, proof_store(path, glossary)):
            click.echo(line)
            count += 1
    if count:
        raise QualityError(f"{count} problem(s) in {len(paths)} store(s)")
    click.echo(f"{len(paths)} store(s): no problems")


COMMANDS = [postedit]
