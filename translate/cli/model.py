"""`bitext model` commands: install, download and list zh→en models, Argos packages or CTranslate2 folders."""

from __future__ import annotations

from pathlib import Path

import click

from translate.cli.options import settings_from
from translate.cli.terminal import echo
from translate.engines import QUANTIZATIONS
from translate.errors import ModelPackageError


@click.group()
def model() -> None:
    """Install, download and list zh→en models: Argos packages, or converted OPUS-MT, M2M-100 and NLLB folders.

    \b
    Example:
      bitext model install translate-zh_en-1_9.argosmodel
      bitext model install opus-mt-zh-en
      bitext model download argos
      bitext model list
    """


@model.command("install")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace a model already installed under the same name.")
@click.pass_context
def install(ctx: click.Context, path: Path, force: bool) -> None:
    """Validate an .argosmodel archive or a CTranslate2 model folder and install it.

    A folder is what ct2-transformers-converter wrote with the model's tokenizer
    (OPUS-MT: source.spm and target.spm; M2M-100 and NLLB: sentencepiece.bpe.model).
    Models go into paths.models (default: Argos's folder for packages,
    ~/.local/share/bitext/models for folders).

    \b
    Example:
      bitext model install ~/Downloads/translate-zh_en-1_9.argosmodel
      bitext model install opus-mt-zh-en
      bitext model install nllb-200-distilled-600M --force
    """
    from translate.translation.packages import install_model

    model = install_model(path, settings_from(ctx, edition=False), force=force)
    echo(f"Installed {model.model_id} ({model.from_code}→{model.to_code}) into {model.path}")


@model.command("download")
@click.argument("name")
@click.option("--revision", default=None,
              help="A Hub commit, branch or tag (default: the commit main names now, recorded), or an Argos "
                   "package_version (default: the newest).")
@click.option("--convert", is_flag=True,
              help="Convert a transformers model from the Hub with ct2-transformers-converter (needs transformers "
                   "and torch).")
@click.option("--quantization", type=click.Choice(QUANTIZATIONS), default="int8", show_default=True,
              help="What --convert quantizes the weights to.")
@click.option("--force", is_flag=True, help="Replace a model already installed under the same name.")
@click.pass_context
def download(ctx: click.Context, name: str, revision: str | None, convert: bool, quantization: str,
             force: bool) -> None:
    """Download a zh→en model and install it with the checks of bitext model install (never during a build).

    NAME is `argos` (the zh→en package of the Argos index, translation.argos_index), an Argos package
    code (`translate-zh_en`, or `argos:CODE`), or a Hugging Face Hub repository OWNER/REPO (or
    `hf:OWNER/REPO`) holding a CTranslate2 model; with --convert, a transformers model converted here.
    The Hub is reached through huggingface_hub (`pip install 'bitext[download]'`) and HF_ENDPOINT.

    \b
    Example:
      bitext model download argos
      bitext model download translate-zh_en --revision 1.9
      bitext model download OWNER/opus-mt-zh-en-ct2
      bitext model download Helsinki-NLP/opus-mt-zh-en --convert
    """
    from translate.translation.download import download_model

    model = download_model(name, settings_from(ctx, edition=False), revision=revision, convert=convert,
                           quantization=quantization if convert else None, force=force,
                           notify=lambda line: echo(line, err=True))
    echo(f"Installed {model.model_id} ({model.from_code}→{model.to_code}) into {model.path}")


@model.command("list")
@click.pass_context
def list_models(ctx: click.Context) -> None:
    """Show the installed models: name, version (a folder's family), languages and folder; a damaged one is an error.

    \b
    Example:
      bitext model list
    """
    from translate.translation.packages import installed_models

    broken: list[ModelPackageError] = []
    packages = installed_models(settings_from(ctx, edition=False), broken=broken)
    if not packages and not broken:
        click.echo("No models installed.")
        return
    width = max((len(p.name) for p in packages), default=0)
    for p in packages:
        echo(f"{p.name:<{width}}  {p.version or '-':<8}  {p.from_code}→{p.to_code}  {p.path}")
    for error in broken[:-1]:
        echo(f"Error: {error}", err=True)
    if broken:
        raise broken[-1]


COMMANDS: list[click.Command] = [model]
