"""Figure 9: the answer matcher against Red-DiscordBot trivia's plain check, on the same messages.

Red's check (as Red's trivia session describes it): the message lower-cased; an answer of several words
counts if it appears anywhere in the message, a one-word answer if it is one of the message's words.
Ours (`bot.quiz.matcher`): normalisation, aliases, club names, surnames, typos, wrong-choice rivals.

The corpus is every hand-written question with ~25 messages each: the answer and its aliases as fans
type them, typos, wrong choices, the answer inside chatter, chatter in English and Italian, long
messages, emoji. It is kept, with our verdict for each message, in tests/unit/matcher_corpus.json
(`--write-corpus` rebuilds it from the current matcher) so a faster matcher must decide the same.
Goal: ours within 2x of Red's time per message."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from common import args, report

from bot.content.clubs import with_club_forms
from bot.quiz.matcher import AnswerKey, is_person_question, surname

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "unit" / "matcher_corpus.json"
BANK = Path(__file__).resolve().parent.parent / "content" / "banks" / "gasperini-atalanta.yaml"
GOAL_RATIO = 2.0

CHATTER = [
    "forza atalanta!!",
    "what a goal",
    "lol",
    "ok",
    "who knows",
    "?",
    "non lo so",
    "dai ragazzi",
    "boh",
    "too hard",
    "easy one",
    "gasp is the best coach",
    "ahah",
    "next question pls",
    "⚽🔥🏆",
    "che partita",
    "no idea mate",
    "I think it was in 2019",
]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(text: str, rng: random.Random, edits: int = 1) -> str:
    chars = list(text)
    for _ in range(edits):
        if len(chars) < 2:
            break
        i = rng.randrange(len(chars))
        kind = rng.randrange(4)
        if kind == 0:
            chars[i] = rng.choice(LETTERS)
        elif kind == 1:
            del chars[i]
        elif kind == 2:
            chars.insert(i, rng.choice(LETTERS))
        elif i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def messages_for(q: dict, others: list[str], rng: random.Random) -> list[str]:
    answer, aliases, wrong = q["answer"], q["aliases"], q["wrong"]
    out = [answer, answer.upper() + "!", answer.lower(), *aliases[:3]]
    if q["person"] and (s := surname(answer)):
        out.append(s)
    out += [typo(answer, rng) for _ in range(3)] + [typo(answer, rng, 2)]
    if wrong:
        out += [*wrong, typo(rng.choice(wrong), rng)]
    out += [f"I think {answer.lower()}", f"is it {answer} or {rng.choice(wrong or ['not'])}?"]
    out += rng.sample(CHATTER, 6)
    out.append(" ".join(rng.choice(CHATTER) for _ in range(40))[:300])
    out.append(rng.choice(others))
    return out


def build_corpus(seed: int = 20) -> list[dict]:
    import yaml

    rng = random.Random(seed)
    raw = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    items = raw["questions"] if isinstance(raw, dict) else raw
    questions = []
    for item in items:
        answer = str(item["answer"])
        questions.append(
            {
                "text": item["question"],
                "answer": answer,
                "aliases": list(with_club_forms(answer, [str(a) for a in item.get("aliases", [])])),
                "wrong": [str(c) for c in item.get("choices", [])],
                "person": is_person_question(item["question"]),
            }
        )
    answers = [q["answer"] for q in questions]
    for q in questions:
        key = key_of(q)
        q["messages"] = [[m, key.matches(m)] for m in messages_for(q, answers, rng)]
    return questions


def key_of(q: dict) -> AnswerKey:
    return AnswerKey.build(q["answer"], q["aliases"], q["wrong"], person=q["person"])


def red_check(answers: list[str]):
    """Red trivia's plain check over lower-cased answers (several words: a substring; one: a word)."""
    lowered = [a.lower() for a in answers]

    def check(content: str) -> bool:
        guess = content.lower()
        for answer in lowered:
            if " " in answer and answer in guess:
                return True
            if any(word == answer for word in guess.split(" ")):
                return True
        return False

    return check


def timed(a: list[tuple[object, str]], b: list[tuple[object, str]], repeat: int) -> tuple[float, float]:
    """Mean microseconds per message of two checks over the same messages. Each message is timed
    `repeat` times with each check, alternately, and its fastest time kept: on a shared machine a run
    over the whole corpus is always interrupted somewhere, one message rarely every time."""
    totals = [0.0, 0.0]
    clock = time.perf_counter_ns
    for (check_a, text), (check_b, _) in zip(a, b, strict=True):
        best = [float("inf"), float("inf")]
        for _ in range(repeat):
            for i, check in enumerate((check_a, check_b)):
                start = clock()
                for _ in range(10):
                    check(text)  # type: ignore[operator]
                best[i] = min(best[i], (clock() - start) / 10)
        totals[0] += best[0]
        totals[1] += best[1]
    return totals[0] / len(a) / 1000, totals[1] / len(b) / 1000


def main() -> None:
    opts = args(
        __doc__ or "",
        lambda p: p.add_argument("--write-corpus", action="store_true", help="rebuild the kept corpus"),
    )
    if opts.write_corpus:
        CORPUS.write_text(json.dumps(build_corpus(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(f"written {CORPUS}")
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    ours_pairs, red_pairs, chatter_ours, chatter_red = [], [], [], []
    changed = 0
    for q in corpus:
        key = key_of(q)  # built once per question, as a round does
        red = red_check([q["answer"], *q["aliases"]])
        for text, verdict in q["messages"]:
            changed += key.matches(text) != verdict
            ours_pairs.append((key.matches, text))
            red_pairs.append((red, text))
            if text in CHATTER or len(text) > 100:
                chatter_ours.append((key.matches, text))
                chatter_red.append((red, text))
    repeat = 2 if opts.smoke else 15
    rows = []
    for label, ours, red in (
        ("all messages", ours_pairs, red_pairs),
        ("chatter only", chatter_ours, chatter_red),
    ):
        o, r = timed(ours, red, repeat)
        rows.append(
            {"messages": label, "n": len(ours), "ours_us": o, "red_us": r, "ratio": o / r, "goal": GOAL_RATIO}
        )
    print(f"{len(ours_pairs)} messages over {len(corpus)} questions")
    print(f"decisions changed against the kept corpus: {changed}\n")
    report("matcher_speed", rows, {"decisions_changed": changed}, smoke=opts.smoke)


if __name__ == "__main__":
    main()
