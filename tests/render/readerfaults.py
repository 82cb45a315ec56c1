"""An edition with each reader-facing fault of the print edition (issue 18), for the renderers' tests.

One article carries them all: a long title in both languages (the running head
wrapped to two lines), a Chinese paragraph with ASCII spaces around Latin words
(justified, they stretched into wide gaps: ``可是     AI     界``), an image whose
alt text is the placeholder ``图片`` (shown as the caption "Picture"), machine
English with straight quotes and a stray space (``large model. "``), and a
source file name that must not reach the reader.
"""

from __future__ import annotations

from dataclasses import replace

from factories import _seg, _speaker, sample_edition
from translate.models import Article, ArticleMeta, BilingualArticle, BilingualBlock, Block

#: Chinese with Latin words between ASCII spaces, long enough for many justified lines.
LATIN_IN_CHINESE = (
    "可是 AI 界的很多人都在谈论 ChatGPT 和 GPT-4，有 2C 志向的创业者认为 To C 产品才是未来，"
    "而 To B 的生意需要耐心。可是 AI 界并不缺钱，缺的是 AGI 的信念和 OpenAI 那样的团队。"
    "王小川说，百川智能会在 2023 年发布 Baichuan-13B 模型，并开源给 AI 社区；"
    "他认为 Transformer 架构还有很长的路要走，MoE 与 RLHF 都只是开始。"
) * 2
QUESTION = "投资人当时的主要质疑点是什么？" * 3
TITLE_ZH = "最早出发的中国大模型创业者：“贫穷限制了我们的想象力”"
TITLE_EN = "The earliest Chinese large-model founders: “Poverty has limited our imagination”"
SOURCE_FILE = "005_7f3a9c2e1b4d6a80.txt"
#: Machine English as the engines give it: straight quotes, a space before the closing one.
STRAIGHT = 'He said "large model. "'
CURLY = "He said “large model.”"


def faults_article() -> BilingualArticle:
    """The article with every fault (slug ``faults``)."""
    meta = ArticleMeta(title=TITLE_ZH, title_original=TITLE_ZH, source_file=SOURCE_FILE, script="simplified",
                       publication="晚点 LatePost")
    blocks = (
        Block(id="b001", kind="paragraph", text=LATIN_IN_CHINESE, original=LATIN_IN_CHINESE, line=5),
        Block(id="b002", kind="image", text="图片", original="图片", url="https://example.com/a.jpg", line=7),
        Block(id="b003", kind="paragraph", text="他说“大模型。”", original="他说“大模型。”", line=9),
        # a speaker label with a Latin word: the label's space sat on a justified line too
        Block(id="b004", kind="paragraph", text=QUESTION, original=QUESTION, speaker="AI 科技评论", role="question",
              line=11),
    )
    bilingual = (
        BilingualBlock(blocks[0], (_seg("b001", 1, LATIN_IN_CHINESE, "But the AI world talks about ChatGPT. " * 12,
                                        slug="faults"),)),
        BilingualBlock(blocks[1], (_seg("b002", 1, "图片", "Picture", slug="faults"),)),
        BilingualBlock(blocks[2], (_seg("b003", 1, "他说“大模型。”", STRAIGHT, slug="faults"),)),
        BilingualBlock(blocks[3], (_seg("b004", 1, QUESTION, "What did the investors doubt most at the time?",
                                        slug="faults"),), _speaker(blocks[3], "faults")),
    )
    article = Article(slug="faults", meta=meta, blocks=blocks)
    return BilingualArticle(article=article, title_en=TITLE_EN, blocks=bilingual, engine="gloss", model="CC-CEDICT")


def faults_edition():
    """The sample edition with the faults article first, and two translators."""
    edition = sample_edition()
    return replace(edition, articles=(faults_article(),) + edition.articles,
                   translators=("Ada Translator", "Bo Reviser"))
