"""What the LLM engine says to the model, and how it reads and checks the answers.

The prompt is a Jinja2 template (``templates/llm/translate.j2``, or the file
``llm.prompt`` names; a copy under the edition's ``paths.templates`` wins) with
three macros: the system message, the block to translate, and the correction
sent back. It renders in Jinja2's immutable sandbox, like the HTML templates.

An answer is JSON (``{"translations": [{"n": 1, "en": "…"}]}``, asked for with a
JSON schema where the server takes one) or numbered lines (``1. …``); either way
the numbers must be exactly the sentences asked for. Each English sentence is
then checked: glossary terms by the one honour rule, everything else by the
quality report's own flags (Chinese left, numbers, names or URLs lost, runaway or
truncated length, loops, empty), plus commentary and refusals, and Markdown marks.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from translate.errors import EngineError
from translate.glossary.honour import target_honoured, term_honoured
from translate.markup import plain_text
from translate.models import Cell, Segment, Term, TermMatch, TermUse
from translate.resources import default_templates
from translate.translation.constraints import _unique_terms
from translate.translation.untrusted import encodable, english_limit, has_unsafe_characters, loads_bounded

#: Bump when the code around the template changes what is asked (part of the memory key with the template's hash).
PROMPT_VERSION = "1"

#: The quality flags that send a sentence back (the report's kinds; see :func:`translate.quality.segment_flags`).
_FLAG_MESSAGES = {
    "empty": "it is empty: give its English",
    "untranslated": "it still contains Chinese ({detail}): translate everything into English",
    "loop": "it repeats itself ({detail}): translate the sentence once",
    "too_short": "it is much shorter than the Chinese: translate all of it",
    "too_long": "it is far longer than the Chinese: translate only this sentence, adding nothing",
    "url_lost": "it lost the URL {detail}: keep it",
    "number_lost": "it lost the number {detail}: keep every number",
    "latin_lost": "it lost the name {detail}: keep it",
}
#: Flags for a reviser, never sent back: ``inadequate`` (by the dictionary, no word of the Chinese in the English)
#: is a signal, and a model told so tends to pad its English with dictionary words.

#: The start of an answer that talks about the translation instead of being one.
COMMENTARY = re.compile(
    r"^\W*(?:here(?:'s| is| are)\b|sure\b|certainly\b|of course\b|okay\b|ok[,.!]|i (?:cannot|can't|can not|won't|"
    r"am unable|'m unable|am sorry|'m sorry|apologi[sz]e)\b|sorry\b|as an ai\b|(?:the )?(?:english )?translation"
    r"(?: is)?\s*[:：]|note\s*[:：]|translated text\s*[:：])",
    re.IGNORECASE,
)
_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S | re.IGNORECASE)
_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")
#: A numbered line (``1. …``, ``**1.** …``, ``- [1] …``), its text unstripped. Linear in the line's length: every
#: star before the number is the group's and the text is taken greedily (a second ``\**`` before the number and
#: a lazy text before ``\s*$`` made it quadratic: 32,000 stars or spaces took 14 s and 3 s).
_NUMBERED = re.compile(r"^\s*(?:[*#>\-]\s*)*[\[(]?(\d{1,3})[\])]?\**\s*[.)：:、\]]\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with an answer: one sentence's (``n``), or the whole answer's (``n`` None)."""

    n: int | None
    """The sentence number in the request, or None for the answer as a whole."""
    messages: tuple[str, ...]
    """What to tell the model, one clause each."""
    missing_terms: tuple[Term, ...] = ()
    """The glossary terms the English lacks (a violation if they stay missing)."""


class AnswerError(Exception):
    """An answer that cannot be read as the numbered sentences asked for (the message says why, for the model)."""


class Prompt:
    """The prompt template of an edition, rendered in Jinja2's sandbox."""

    def __init__(self, templates_dir: Path, name: str, style: str = ""):
        from jinja2 import StrictUndefined, TemplateError

        from translate.templating import metered, sandboxed_environment, template_loader

        path = _template_path(templates_dir, name)
        self.path = path
        self.style = style
        # Sandboxed and bounded like every template (translate.templating): the prompt is a cloned edition's code,
        # read like the others (UTF-8, no link out of its folder).
        env = sandboxed_environment(loader=template_loader(path.parent), undefined=StrictUndefined, trim_blocks=True,
                                    lstrip_blocks=True, autoescape=False)
        try:
            source = env.loader.get_source(env, path.name)[0]
            self._template = env.get_template(path.name)
            self._template.make_module({**_EMPTY, "style": style})  # a template error shows now, not mid-build
        except TemplateError as exc:
            raise EngineError(f"the prompt template is broken ({exc}); fix it or remove llm.prompt",
                              path=path, line=getattr(exc, "lineno", None)) from exc
        self.version = f"{PROMPT_VERSION}-{hashlib.sha256(source.encode('utf-8')).hexdigest()[:16]}"
        """The prompt's part of the memory key: code version and template hash."""
        self._error = TemplateError
        self._metered = metered

    def _render(self, macro: str, **context) -> str:
        try:
            with self._metered(self.path.name, filename=str(self.path)):  # the macro call too, not only the body
                module = self._template.make_module({**_EMPTY, "style": self.style, **context})
                return str(getattr(module, macro)()).strip()
        except (self._error, AttributeError, TypeError) as exc:
            raise EngineError(f"the prompt template failed in {macro}() ({exc}); fix it or remove llm.prompt",
                              path=self.path) from exc

    def system(self, format: str) -> str:
        """The system message."""
        return self._render("system", format=format)

    def user(self, kind: str, sentences: Sequence[str], matches: Sequence[TermMatch], format: str, *,
             cells: Sequence[Cell | None] = ()) -> str:
        """The request for one block: its sentences numbered from 1 and its glossary entries.

        For a table (``kind`` ``table``) ``cells`` gives each sentence's cell: the template sees its
        ``row`` and ``column`` counted from 1 and whether it is a ``header`` cell (None, None, False
        for a sentence of any other block).
        """
        places = list(cells) + [None] * (len(sentences) - len(cells))
        return self._render("user", kind=kind, format=format, count=len(sentences),
                            sentences=[{"n": n, "zh": zh, **_place(cell)}
                                       for n, (zh, cell) in enumerate(zip(sentences, places), 1)],
                            terms=glossary_entries(matches))

    def correction(self, problems: Sequence[Problem], numbers: Sequence[int], format: str) -> str:
        """The message sent back: each problem, and the sentences to give again."""
        return self._render("correction", format=format, count=len(numbers), numbers=list(numbers),
                            problems=[{"n": p.n, "messages": list(p.messages)} for p in problems])


def _place(cell: Cell | None) -> dict:
    if cell is None:
        return {"row": None, "column": None, "header": False}
    return {"row": cell.row + 1, "column": cell.column + 1, "header": cell.header}


_EMPTY = {"kind": "paragraph", "sentences": [], "terms": [], "format": "json", "count": 0, "problems": [],
          "numbers": []}


def _template_path(templates_dir: Path, name: str) -> Path:
    """The edition's ``llm/<name>`` if it has one, else the default template."""
    if not name or Path(name).name != name:
        raise EngineError(f"llm.prompt must be a file name in templates/llm/, not {name!r}")
    for folder in (Path(templates_dir) / "llm", default_templates() / "llm"):
        if (folder / name).is_file():
            return folder / name
    raise EngineError(f"no prompt template {name!r} in {Path(templates_dir) / 'llm'} or the defaults; "
                      f"set llm.prompt to an existing file (default: translate.j2)")


def glossary_entries(matches: Sequence[TermMatch]) -> list[dict]:
    """The block's glossary entries for the prompt, each once, in order of first occurrence."""
    seen: dict[str, dict] = {}
    for match in matches:
        term = match.term
        seen.setdefault(term.zh, {"zh": term.zh, "surface": match.surface, "en": term.en, "keep": term.keep,
                                  "exact": term.case == "exact", "note": term.note})
    return list(seen.values())


#: The JSON schemas a server may take, most exact first (:func:`json_schema`); the engine steps down one when a
#: server refuses the one it sent.
SCHEMA_DIALECTS = ("positional", "numbers")


def json_schema(numbers: Sequence[int], dialect: str = "positional") -> dict:
    """The JSON schema of an answer giving exactly the sentences ``numbers``.

    ``positional`` gives each place in the list its own item, whose ``n`` is that
    sentence's number (``prefixItems`` with ``"n": {"const": k}``): a grammar-constrained
    server (llama.cpp, Ollama) then cannot number two items alike. ``numbers`` is the
    older form, one item shape whose ``n`` is any of the numbers (``enum``): llama-server
    numbered every two-sentence block ``1, 1`` under it (recorded), so it is the fallback
    for servers that refuse ``prefixItems``. Neither sets ``"items": false`` (llama-server
    refuses it with HTTP 400): ``maxItems`` bounds the list.
    """
    def item(n_schema: dict) -> dict:
        return {
            "type": "object",
            "properties": {"n": n_schema, "en": {"type": "string"}},
            "required": ["n", "en"],
            "additionalProperties": False,
        }

    if dialect == "positional":
        listing = {"prefixItems": [item({"type": "integer", "const": n}) for n in numbers]}
    elif dialect == "numbers":
        listing = {"items": item({"type": "integer", "enum": list(numbers)})}
    else:
        raise ValueError(f"unknown JSON schema dialect {dialect!r}")
    return {
        "type": "object",
        "properties": {
            "translations": {"type": "array", "minItems": len(numbers), "maxItems": len(numbers), **listing}
        },
        "required": ["translations"],
        "additionalProperties": False,
    }


def answer_limit(chinese: Sequence[str]) -> int:
    """The most characters an answer for the sentences ``chinese`` may have (their English, numbers and JSON)."""
    return sum(english_limit(zh) for zh in chinese) + 1024


def clean(content: str) -> str:
    """An answer without a reasoning model's ``<think>`` block and code fences."""
    return _FENCE.sub("", _THINK.sub("", content or "").strip()).strip()


def parse_answer(content: str, numbers: Sequence[int], *, extra_ok: bool = False) -> dict[int, str]:
    """The English of each of ``numbers`` from a JSON or numbered answer; :class:`AnswerError` when it has not exactly those.

    Lines outside the numbered format (a preamble such as "Here is the translation:")
    are dropped: nothing of the translation is lost with them. With ``extra_ok`` (an
    answer to a correction, which models often give in full) other numbers are ignored.
    """
    text = clean(content)
    if not text:
        raise AnswerError("the answer was empty")
    found = _parse_json(text)
    if found is None:
        found = _parse_numbered(text)
    if found is None:
        raise AnswerError("the answer was neither the JSON asked for nor numbered lines")
    pairs, duplicates = found
    wanted = list(numbers)
    missing = [n for n in wanted if n not in pairs]
    extra = [] if extra_ok else sorted(n for n in pairs if n not in wanted)
    if duplicates:
        raise AnswerError(f"sentence {duplicates[0]} was given twice; give each sentence once")
    if missing or extra:
        what = [f"it had {len(pairs)} sentence{'s' if len(pairs) != 1 else ''} for {len(wanted)}"]
        if missing:
            what.append("missing " + ", ".join(str(n) for n in missing))
        if extra:
            what.append("extra " + ", ".join(str(n) for n in extra))
        raise AnswerError("; ".join(what))
    return {n: pairs[n] for n in wanted}


def _parse_json(text: str) -> tuple[dict[int, str], list[int]] | None:
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if start < 0:
        return None
    try:
        data = _decode_json(text[start:])
    except (ValueError, RecursionError):
        return None
    items = data.get("translations", data.get("sentences")) if isinstance(data, dict) else data
    if isinstance(data, dict) and items is None and data and all(str(k).isdigit() for k in data):
        items = [{"n": int(k), "en": v} for k, v in data.items()]
    if not isinstance(items, list):
        return None
    pairs: dict[int, str] = {}
    duplicates: list[int] = []
    for position, item in enumerate(items, 1):
        if isinstance(item, str):
            n, english = position, item
        elif isinstance(item, dict) and isinstance(item.get("en", item.get("english")), str):
            n, english = item.get("n", item.get("id", position)), item.get("en", item.get("english"))
            if isinstance(n, str) and n.strip().isdigit():
                n = int(n)
            if not isinstance(n, int) or isinstance(n, bool):
                return None
        else:
            return None
        if n in pairs:
            duplicates.append(n)
        pairs[n] = encodable(english).strip()  # the content's own JSON escapes may make lone surrogates
    return pairs, duplicates


def _decode_json(text: str):
    """The JSON value at the start of ``text`` (what follows it ignored), refusing deep nesting before parsing."""
    try:
        return loads_bounded(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise
        return loads_bounded(text[: exc.pos])


def _parse_numbered(text: str) -> tuple[dict[int, str], list[int]] | None:
    pairs: dict[int, str] = {}
    duplicates: list[int] = []
    for line in text.splitlines():
        match = _NUMBERED.match(line)
        if match:
            n = int(match.group(1))
            if n in pairs:
                duplicates.append(n)
            pairs[n] = match.group(2).strip()
    return (pairs, duplicates) if pairs else None


#: The English of the first item of a JSON answer, even one cut off before its string closes.
_EN_FIELD = re.compile(r'"en(?:glish)?"\s*:\s*"((?:[^"\\]|\\.)*)')


def salvage(content: str) -> str:
    """The best single sentence in an answer that never took the format: commentary lines and numbering dropped.

    An answer that is JSON, cut off or broken, gives its first ``en`` string, or nothing:
    a real llama-server cut off at ``max_tokens`` answered ``{"translations" : [``, which
    must not become the English.
    """
    text = clean(content)
    if text.startswith(("{", "[")):
        match = _EN_FIELD.search(text)
        if match is None:
            return ""
        try:
            return encodable(json.loads(f'"{match.group(1)}"')).strip()
        except ValueError:  # cut inside an escape
            return match.group(1).rstrip("\\").strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    kept = [line for line in lines if not COMMENTARY.match(line)] or lines
    sentence = " ".join(kept)
    match = _NUMBERED.match(sentence)
    return (match.group(2) if match else sentence).strip().strip('"“”')


def sentence_problems(n: int, zh: str, english: str, matches: Sequence[TermMatch]) -> Problem | None:
    """What is wrong with one English sentence, or None: missing terms first, then the report's flags."""
    from translate.markup import markup_problems
    from translate.quality import segment_flags

    terms = _unique_terms(matches)
    plain = plain_text(english)
    missing = tuple(term for term in terms if not target_honoured(term, plain))  # engines are held to en
    messages = [f"it must say “{term.en}” for {term.zh}" + (" (exactly as written)" if term.keep or
                                                          term.case == "exact" else "")
                for term in missing]
    if COMMENTARY.match(english):
        messages.append("it is a comment, not a translation: give only the English sentence")
    uses = tuple(TermUse(m.term.zh, m.term.en, m.surface, term_honoured(m.term, plain)) for m in matches)
    segment = Segment(id=f"s{n}", zh=zh, zh_original=zh, en=english, engine="llm", terms=uses)
    for flag in segment_flags(segment):
        template = _FLAG_MESSAGES.get(flag["kind"])
        if template:
            messages.append(template.format(detail=flag["detail"].split(": ", 1)[-1]))
    if has_unsafe_characters(english):
        messages.append("it holds control or invisible characters: give plain English text only")
    # The post-edit import's rule: inline markup must be the Chinese's, no more and no less.
    for difference in markup_problems(zh, english):
        messages.append(f"its inline Markdown differs from the Chinese ({difference}): keep the Chinese's **bold**, "
                        f"*italic*, `code` and [links](url) around the same words, and add none")
    return Problem(n, tuple(messages), missing) if messages else None
