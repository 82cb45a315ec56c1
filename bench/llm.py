"""The ``llm`` engine's throughput: ``llm.concurrency`` 8 vs 1 against a local chat server.

The server is the tests' fake OpenAI-compatible server (``tests/llm/chatserver.py``)
on 127.0.0.1 with a simulated latency of 200 ms per request; its model returns
placeholder English that passes every check (each glossary target, the numbers
and names of its sentence), so the figures are the engine's requests and waiting,
not corrections. Both runs translate the edition's five articles without a
memory, through ``translate_articles`` as a build does.

Also measured, for the decision on context (docs/engines.md, "Decisions, measured"): how many requests and prompt
characters paragraph and sentence context cost, and what sending the previous
block (Chinese and English) along would cost: prompt size, and the bound its
English puts on concurrency (each article's blocks would have to go one after the
other).
"""

from __future__ import annotations

import sys
import time

from bench import REPO, Row, ratio

LATENCY = 0.2
TARGET = 6.0


def _server_module():
    sys.path.insert(0, str(REPO / "tests" / "llm"))
    import chatserver

    return chatserver


def _translate(server, articles, glossary, *, concurrency: int, context: str = "paragraph"):
    from translate.resources import default_templates
    from translate.translation.llm import LLMEngine
    from translate.translation.llm_prompt import Prompt
    from translate.translation.translator import translate_articles

    engine = LLMEngine(base_url=server.url, model="bench", prompt=Prompt(default_templates(), "translate.j2"),
                       concurrency=concurrency, context=context, timeout=30.0, backoff=0.05)
    before = server.chat_requests
    start = time.perf_counter()
    translated = translate_articles(articles, engine, glossary, memory_path=None)
    seconds = time.perf_counter() - start
    return engine, translated, seconds, server.chat_requests - before


def run() -> list[Row]:
    from translate.corpus import load_corpus
    from translate.glossary import Glossary

    chatserver = _server_module()
    articles = load_corpus(REPO / "corpus")
    glossary = Glossary.load(REPO / "glossary" / "terms.csv")
    rows: list[Row] = []

    with chatserver.ChatServer(latency=LATENCY) as server:
        one, translated, serial, requests_1 = _translate(server, articles, glossary, concurrency=1)
        eight, _, parallel, requests_8 = _translate(server, articles, glossary, concurrency=8)
        prompts = [sum(len(m["content"]) for m in r.body["messages"]) for r in server.requests[:requests_1]]
    sentences = one.counts.sentences
    speedup = ratio(serial, parallel)
    rows.append(Row("llm", "concurrency 8 vs 1 (200 ms per request)", f"{speedup:.2f}× ({serial:.1f} s vs "
                    f"{parallel:.1f} s)", f"≥ {TARGET:g}×", speedup >= TARGET,
                    f"five articles: {requests_1} requests ({one.counts.blocks} blocks, {one.counts.corrections} "
                    f"corrections; 8: {requests_8}) for {sentences} sentences: {sentences / requests_1:.2f} "
                    f"sentences per request"))

    with chatserver.ChatServer() as server:  # no latency: counting only
        _, _, _, requests_s = _translate(server, articles, glossary, concurrency=8, context="sentence")
        sentence_prompts = [sum(len(m["content"]) for m in r.body["messages"]) for r in server.requests]
    rows.append(Row("llm", "requests: paragraph vs sentence context", f"{requests_1} vs {requests_s}",
                    note=f"prompt characters {sum(prompts):,} vs {sum(sentence_prompts):,} "
                         f"({ratio(sum(sentence_prompts), sum(prompts)):.2f}×): the system message goes with every "
                         f"request"))

    # The previous block as context: its Chinese and English would ride along with every request but the first of
    # an article, and its English makes each article's requests a chain.
    english = {}
    for article in translated:
        for block in article.blocks:
            english[block.block.id, article.slug] = " ".join(s.en for s in block.segments)
    extra = 0
    for article in translated:
        previous = None
        for block in article.blocks:
            if previous is not None:
                extra += len(previous.block.text) + len(english[previous.block.id, article.slug])
            previous = block
    chains = [1 + len(a.blocks) for a in articles]
    bound = ratio(sum(chains), max(max(chains), sum(chains) / 8))
    rows.append(Row("llm", "previous block as context (not sent)", f"+{ratio(extra, sum(prompts)):.0%} prompt",
                    note=f"with its English, each article's requests form a chain: the longest is {max(chains)} of "
                         f"{sum(chains)}, so concurrency 8 could be at best {bound:.1f}× faster than 1 (measured "
                         f"without it: {speedup:.1f}×)"))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
