"""``bitext serve``: the edition live in a browser, rebuilt on every change, with the English editable in the page."""

from __future__ import annotations

import click

from translate.cli.options import engine_option, settings_from


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback lets other machines reach the editor (a warning "
                   "is printed).")
@click.option("--open", "open_browser", is_flag=True, help="Open the edition in the default browser.")
@click.option("--no-pdf", is_flag=True, help="HTML only: no PDF and EPUB build in the background.")
@engine_option
@click.pass_context
def serve(ctx: click.Context, port: int, host: str, open_browser: bool, no_pdf: bool, engine: str | None) -> None:
    """Preview the edition live and correct the English in the browser.

    Builds the HTML, serves build/html on 127.0.0.1, and rebuilds whenever the
    corpus, the glossary, a PO store, a template or edition.toml changes: the
    HTML first (open pages reload), then the PDF and EPUB in the background. In an
    article, "Edit English" lets you click a sentence, correct it with the
    glossary's terms marked honoured or missing as you type, and save it
    (Ctrl+Enter) into corpus/<slug>.en.po; Esc cancels, n / p go to the next /
    previous machine, stale or violating sentence, u undoes your last save.

    \b
    Example:
      bitext serve --open
      bitext serve --port 8001 --no-pdf
    """
    from translate.serve.server import run_server

    settings = settings_from(ctx)
    run_server(settings, host=host, port=port, open_browser=open_browser, pdf=not no_pdf, engine_name=engine,
               log=click.echo, warn=lambda message: click.echo(f"Warning: {message}", err=True))


COMMANDS = [serve]
