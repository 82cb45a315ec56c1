"""jieba's prefix table read from the cache jieba keeps, in one piece: the same table jieba's own loading gives."""

import jieba

from translate.dictionary import _read_prefix_table


def _fresh(folder) -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(folder)
    return tokenizer


def test_the_cache_is_read_as_jieba_reads_it_and_left_to_jieba_when_missing_or_damaged(tmp_path):
    assert not _read_prefix_table(_fresh(tmp_path))  # no cache yet: jieba builds the table
    built = _fresh(tmp_path)
    built.initialize()  # builds from jieba's dictionary and writes tmp_path/jieba.cache
    assert (tmp_path / "jieba.cache").is_file()

    read = _fresh(tmp_path)
    assert _read_prefix_table(read) and read.initialized
    assert read.FREQ == built.FREQ and read.total == built.total
    sentence = "我们在北京大学学习中文，他说得很好。"
    assert list(read.cut(sentence, HMM=False)) == list(built.cut(sentence, HMM=False))

    (tmp_path / "jieba.cache").write_bytes(b"\x00damaged")
    assert not _read_prefix_table(_fresh(tmp_path))
    other = jieba.Tokenizer(str(tmp_path / "dict.txt"))  # another dictionary's table is jieba's business
    other.tmp_dir = str(tmp_path)
    assert not _read_prefix_table(other)
