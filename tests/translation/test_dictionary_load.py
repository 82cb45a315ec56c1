"""jieba imported without pkg_resources: the same words, HMM and all, and pkg_resources still importable after."""

import json
import subprocess
import sys

SENTENCE = "面壁智能的李大海说，我们在北京大学学习中文，他说得很好，奇点科技发布了新模型。"

SCRIPT = f"""
import json, sys
{{first}}
from translate.dictionary import segment_words
words = [segment_words({SENTENCE!r}), segment_words({SENTENCE!r}, hmm=False)]
loaded = "pkg_resources" in sys.modules and sys.modules["pkg_resources"] is not None
import jieba._compat
reads_by = "pkg_resources" if "pkg_resources" in jieba._compat.get_module_res.__code__.co_names else "path"
import pkg_resources  # still there for whoever wants it
print(json.dumps([words, loaded, reads_by]))
"""


def _run(first: str):
    done = subprocess.run([sys.executable, "-c", SCRIPT.format(first=first)], capture_output=True, text=True,
                          check=True, timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_jieba_reads_its_files_by_path_and_segments_as_with_pkg_resources():
    words, loaded, reads_by = _run("")
    assert (loaded, reads_by) == (False, "path")
    words_before, loaded_before, reads_by_before = _run("import pkg_resources")  # imported first: jieba uses it
    assert (loaded_before, reads_by_before) == (True, "pkg_resources")
    assert words == words_before
    assert "".join(words[0]) == SENTENCE and len(words[0]) > 10
