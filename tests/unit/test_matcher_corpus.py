"""The kept matcher corpus (tests/unit/matcher_corpus.json, built by bench/matcher_speed.py): every
hand-written question with the messages fans send, and the verdict the matcher gave each one when the
corpus was written. A faster matcher must decide exactly the same."""

from __future__ import annotations

import json
from pathlib import Path

from bot.quiz.matcher import AnswerKey

CORPUS = Path(__file__).resolve().parent / "matcher_corpus.json"


def test_the_matcher_decides_the_kept_corpus_as_before() -> None:
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    changed = []
    total = 0
    for q in corpus:
        key = AnswerKey.build(q["answer"], q["aliases"], q["wrong"], person=q["person"])
        for text, verdict in q["messages"]:
            total += 1
            if key.matches(text) != verdict:
                changed.append((q["answer"], text, verdict))
    assert total > 1000
    assert changed == []


def test_the_corpus_has_both_verdicts_and_chatter() -> None:
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    verdicts = [v for q in corpus for _, v in q["messages"]]
    assert 0.1 < sum(verdicts) / len(verdicts) < 0.6
    assert any(len(text) > 150 for q in corpus for text, _ in q["messages"])
