"""The ladder holds engines to a term's target: an alternate is what a translator may write, and the proof
accepts it, but an engine that writes one still goes up the ladder towards ``en``."""

from fakes import DictionaryEngine

from translate.glossary import Glossary
from translate.glossary.honour import proof_terms
from translate.models import Term
from translate.translation.constraints import RUNG_VIOLATION, GlossaryLayer
from translate.translation.llm_prompt import sentence_problems

LUODI = Term("落地", "deployment", pos="noun", alternates=("deploy",))
SENTENCE = "技术落地。"


class DeployingEngine(DictionaryEngine):
    """Writes the alternate, whatever the source says (the target substituted into it included)."""

    def damage(self, english: str, rank: int) -> str:
        return "The technology is hard to deploy."


def test_an_engine_writing_an_alternate_is_not_taken_as_honouring_the_term():
    glossary = Glossary.from_terms([LUODI])
    [result] = GlossaryLayer(DeployingEngine(), glossary, num_hypotheses=2).translate([SENTENCE])
    assert result.rung == RUNG_VIOLATION
    [use], _ = proof_terms("a", "b001", "b001.s1", SENTENCE, result.en, glossary)
    assert use.honoured  # …while the proof, which a translator's English also faces, accepts it


def test_the_llm_correction_asks_for_the_target_not_an_alternate():
    glossary = Glossary.from_terms([LUODI])
    problem = sentence_problems(1, SENTENCE, "The technology is hard to deploy.", glossary.find(SENTENCE))
    assert problem is not None and "it must say “deployment” for 落地" in str(problem)
