"""The honour check: does the English contain the glossary's target?"""

import pytest

from translate.models import Term
from translate.translation.constraints import term_honoured

MODEL = Term(zh="大模型", en="large model")
STARTUP = Term(zh="创业公司", en="start-up")
COMPANY = Term(zh="公司", en="company")
CLASS = Term(zh="类", en="class")
LANGBOAT = Term(zh="澜舟科技", en="Langboat", case="exact")
DENSING = Term(zh="Densing Law", en="Densing Law", keep=True, case="exact")


@pytest.mark.parametrize("term, english, honoured", [
    (MODEL, "A large model is coming.", True),
    (MODEL, "LARGE MODEL", True),
    (MODEL, "Large models are coming.", True),
    (MODEL, "the large-model era", True),
    (MODEL, "large   model", True),
    (MODEL, "a big model", False),
    (MODEL, "large modelling", False),
    (MODEL, "enlarge model", False),
    (STARTUP, "two start ups", True),
    (STARTUP, "two startups", True),
    (COMPANY, "three companies", True),
    (CLASS, "two classes", True),
    (LANGBOAT, "Langboat's model", True),
    (LANGBOAT, "langboat", False),
    (LANGBOAT, "Lang boat", False),
    (DENSING, "the Densing Law holds", True),
    (DENSING, "the densing law holds", False),
    (DENSING, "the Densing-Law holds", False),
], ids=lambda v: v if isinstance(v, str) else None)
def test_honoured(term, english, honoured):
    assert term_honoured(term, english) is honoured
