"""Typed-answer matching: forgiving of case, accents, punctuation, articles, number words and
small typos; strict where a near miss would name something else.

The rule (also in the README):
1. Both sides are normalised: accents and case folded, punctuation and leading articles dropped
   (English and Italian, with "del", "della"… too), number words turned into digits in English and
   Italian ("nine" → 9, "three-nil" → 3 0, "ventitremila" → 23000, "tre a zero" → 3 0, "3 a 0" → 3 0),
   "23,500" → 23500, "13th" → 13, "tredicesimo" → 13.
2. Accepted forms are the answer, its aliases and, for a person (a question starting "Who"/"Whose"),
   the surname, unless a wrong choice shares it.
3. An exact normalised match wins (spaces aside: "deroon" = "de Roon"). Otherwise a typo is
   forgiven by edit distance, scaled by the length of the form: up to 5 letters none,
   6–8 letters one, 9–12 letters two, longer three.
   Forms with digits need the digits exactly. Every word of five letters or fewer in the form must be
   typed exactly ("Roma" ≠ "Rome", "Inter" ≠ "Intr", "PSG" ≠ "PSV").
4. A guess that is as close to a wrong choice as to the answer is refused.
5. Football equivalences: "St" = "Saint"; a season answer ("2023-24") is also accepted as "2023/24",
   "23/24", "2023-2024" or its end year "2024".
6. One slip is forgiven in a short surname, the last word (3–5 letters) of a name of four letters or
   more ("Vieiri" for Vieri, "De Ron" for de Roon, "Sun Tsu" for Sun Tzu), unless the answer is a club
   or another name the question knows (its wrong choices and their surnames, the club table's names)
   is as close:
   "Roma"/"Rome" and "Inter"/"Intr" stay distinct.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz.distance import Levenshtein

SHORT_WORD = 5  # words this short must be typed exactly (but see SLIP_MIN)
SLIP_MIN = 4  # a name with at least this many letters forgives one slip in a short word (rule 6)
MAX_GUESS = 200  # characters considered; longer messages are chatter, not answers

_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "ß": "ss",
        "ł": "l",
        "đ": "d",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "þ": "th",
        "ð": "d",
        "’": "'",
        "‘": "'",
        "`": "'",
    }
)
_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Every combining mark (accents once NFKD has split them off), deleted by str.translate in one pass.
_COMBINING = dict.fromkeys(c for c in range(0x110000) if unicodedata.combining(chr(c)))
_DIGIT = re.compile(r"\d")
_THOUSANDS = re.compile(r"(\d)[,.\s](\d{3})(?!\d)")
_ELISION = re.compile(r"^(\w+)'")
_WORD = re.compile(r"[^\W_]+")
_MILA = re.compile(r"\d+mila")
_NUMBER_SUFFIX = re.compile(r"\d+(st|nd|rd|th|esimo|o|a)")
_NON_DIGIT = re.compile(r"\D")
_WHO = re.compile(r"\s*(who|whose|whom|((di|a|da|con) )?chi)\b", re.IGNORECASE)
_ARTICLES = {"the", "a", "an", "il", "lo", "la", "i", "gli", "le", "el", "los", "las", "l"}
# Italian "di" + article, dropped in front of an answer like an article ("della Roma", "dell'Atalanta").
_ARTICLES |= {"del", "dello", "della", "dell", "dei", "degli", "delle"}
_UNITS = {
    w: n
    for n, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_UNITS["nil"] = 0
_TENS = {
    w: n * 10
    for n, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
    if n > 1
}
_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fifteenth": 15,
    "twentieth": 20,
    "thirtieth": 30,
}


_IT_UNITS = (
    "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici "
    "sedici diciassette diciotto diciannove"
).split()
_IT_TENS = "_ _ venti trenta quaranta cinquanta sessanta settanta ottanta novanta".split()
_IT_ORDINALS = {
    w: n
    for n, w in enumerate(
        "_ primo secondo terzo quarto quinto sesto settimo ottavo nono decimo undicesimo dodicesimo "
        "tredicesimo quattordicesimo quindicesimo sedicesimo diciassettesimo diciottesimo diciannovesimo "
        "ventesimo".split()
    )
    if n
} | {"trentesimo": 30}


def _italian_below_1000() -> dict[str, int]:
    """Every Italian number word from 0 to 999, accents folded ("ventitre", "centottanta")."""
    words = {w: n for n, w in enumerate(_IT_UNITS)} | {"un": 1, "una": 1}
    for n in range(20, 100):
        tens, unit = _IT_TENS[n // 10], n % 10
        if unit == 0:
            words[tens] = n
        else:  # "ventuno", "ventotto": the vowel drops before uno and otto
            words[(tens[:-1] if unit in (1, 8) else tens) + _IT_UNITS[unit]] = n
    below_100 = {w: n for w, n in words.items() if 0 < n < 100 and w not in ("un", "una")}
    for h in range(1, 10):
        cento = "cento" if h == 1 else _IT_UNITS[h] + "cento"
        words[cento] = h * 100
        for w, n in below_100.items():
            words[cento + w] = h * 100 + n
            if w.startswith("o"):  # "centotto", "centottanta" beside "centootto"
                words[cento[:-1] + w] = h * 100 + n
    return words


_IT_NUMBERS = _italian_below_1000()


def _italian_number(word: str) -> int | None:
    """An Italian number word below a million ("tre", "ventitremila", "duemilaventuno"), else None."""
    if word in _IT_NUMBERS:
        return _IT_NUMBERS[word]
    for joint, default in (("mila", None), ("mille", 1)):
        head, sep, tail = word.partition(joint)
        if not sep:
            continue
        thousands = _IT_NUMBERS.get(head) if head else default
        rest = _IT_NUMBERS.get(tail, None) if tail else 0
        if thousands is not None and rest is not None and (joint == "mille") == (thousands == 1):
            return thousands * 1000 + rest
    return None


_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_ORDINALS) | frozenset(_IT_ORDINALS)


_MAYBE_NUMBER = _NUMBER_WORDS | frozenset(_IT_NUMBERS) | {"mila"}


def _numbers(words: list[str]) -> list[str]:
    for w in words:  # most messages have no number: leave them as they are after set lookups only
        if w in _MAYBE_NUMBER or w[0].isdigit() or ("mil" in w and _italian_number(w) is not None):
            break
    else:
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _TENS:
            value = _TENS[w]
            nxt = words[i + 1] if i + 1 < len(words) else ""
            small = _UNITS.get(nxt, _ORDINALS.get(nxt, 0))
            if 0 < small < 10:
                value += small
                i += 1
            out.append(str(value))
        elif w in _UNITS:
            out.append(str(_UNITS[w]))
        elif w in _ORDINALS:
            out.append(str(_ORDINALS[w]))
        elif w in _IT_ORDINALS:
            out.append(str(_IT_ORDINALS[w]))
        elif (w in _IT_NUMBERS or "mil" in w) and (n := _italian_number(w)) is not None:
            out.append(str(n))
        elif w == "mila" and out and out[-1].isdigit():  # "23 mila"
            out[-1] = str(int(out[-1]) * 1000)
        elif w[0].isdigit() and _MILA.fullmatch(w):  # "23mila"
            out.append(str(int(w[:-4]) * 1000))
        elif w[0].isdigit() and _NUMBER_SUFFIX.fullmatch(w):
            out.append(_NON_DIGIT.sub("", w))
        else:
            out.append(w)
        i += 1
    return out


def _score_joint(words: list[str], i: int) -> bool:
    """True for the "a" of an Italian score, "3 a 0" (three-nil)."""
    return 0 < i < len(words) - 1 and words[i] == "a" and words[i - 1].isdigit() and words[i + 1].isdigit()


def normalise(text: str) -> str:
    """Fold `text` to the comparable form described in the module docstring."""
    text = text[:MAX_GUESS]
    if text.isascii():  # most messages: no accents, ligatures or zero-width characters to fold
        text = text.lower()  # = casefold() for ASCII
        if "`" in text:  # the one ASCII character `_SPECIAL` maps
            text = text.replace("`", "'")
    else:
        text = _ZERO_WIDTH.sub("", text)
        text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
        text = text.translate(_COMBINING).casefold()
    if _DIGIT.search(text):  # the only digits `_THOUSANDS` can join are `\d` ones
        text = _THOUSANDS.sub(r"\1\2", text)
    if "'" in text:
        text = _ELISION.sub(r"\1 ", text)  # l'Atalanta -> l atalanta
    words = _WORD.findall(text)  # runs of letters and digits: what splitting on the rest leaves
    if not words:
        return ""
    words = _numbers(words)
    if "a" in words and any(w.isdigit() for w in words):
        words = [w for i, w in enumerate(words) if not _score_joint(words, i)]
    while len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    if "st" in words:
        words = ["saint" if w == "st" else w for w in words]
    return " ".join(words)


_SEASON = re.compile(r"(\d{2}|\d{4}) (\d{2}|\d{4})")


def season_forms(form: str) -> set[str]:
    """The spellings of a season, normalised ("2023 24" → "2023 2024", "23 24", "2024"), or {}."""
    m = _SEASON.fullmatch(form)
    if m is None:
        return set()
    first, second = m.groups()
    start = int(first) if len(first) == 4 else 2000 + int(first)
    end = start + 1
    if (int(second) if len(second) == 4 else start // 100 * 100 + int(second)) != end:
        if not (len(second) == 2 and end % 100 == int(second)):  # "1999 00"
            return set()
    return {f"{start} {end % 100:02}", f"{start} {end}", f"{start % 100:02} {end % 100:02}", str(end)}


def _tolerance(form: str) -> int:
    letters = len(form.replace(" ", ""))
    if letters <= SHORT_WORD:
        return 0
    if letters <= 8:
        return 1
    if letters <= 12:
        return 2
    return 3


@dataclass(frozen=True)
class _Form:
    """An accepted form with what `_close` needs of it, worked out once per question."""

    text: str
    squashed: str  # without spaces
    digits: bool
    words: tuple[str, ...]
    has_short_word: bool
    limit: int  # edit distance forgiven

    @classmethod
    def of(cls, form: str) -> _Form:
        words = tuple(form.split())
        return cls(
            form,
            form.replace(" ", ""),
            any(c.isdigit() for c in form),
            words,
            any(len(f) <= SHORT_WORD for f in words),
            _tolerance(form),
        )


def _close(guess: str, squashed: str, digits: bool, words: list[str], form: _Form) -> int | None:
    """Edit distance if `guess` (with its `squashed` form, whether it has `digits`, its `words`) is an
    acceptable typo of `form`, else None."""
    if squashed == form.squashed:
        return 0
    if digits or form.digits:
        return None
    if abs(len(guess) - len(form.text)) > form.limit:
        return None  # the distance is at least the difference in length
    if len(words) == len(form.words):
        for g, f in zip(words, form.words, strict=True):
            if len(f) <= SHORT_WORD and g != f:
                return None
    elif form.has_short_word:
        return None
    dist = Levenshtein.distance(guess, form.text, score_cutoff=form.limit)
    return dist if dist <= form.limit else None


_PARTICLES = {"de", "van", "von", "der", "den", "di", "da", "del", "della", "dos", "le", "la"}


def surname(name: str) -> str | None:
    """The surname of a multi-word name ('Marten de Roon' → 'de roon'), normalised, or None."""
    words = normalise(name).split()
    if len(words) < 2:
        return None
    start = len(words) - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    return " ".join(words[start:])


@dataclass(frozen=True)
class AnswerKey:
    """The accepted and refused forms of one question's answer, normalised once."""

    accepted: frozenset[str]
    refused: frozenset[str] = field(default_factory=frozenset)
    known: frozenset[str] = field(default_factory=frozenset)  # other names a slip must not be as close to
    slips: bool = False  # rule 6 applies
    _forms: tuple[_Form, ...] = field(init=False, repr=False, compare=False)
    _longest: int = field(init=False, repr=False, compare=False)
    _squashed: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        forms = tuple(_Form.of(f) for f in sorted(self.accepted))
        object.__setattr__(self, "_forms", forms)
        # No guess longer than this is within any form's typo tolerance.
        slack = 1 if self.slips else 0  # rule 6 forgives one more character
        object.__setattr__(
            self, "_longest", max((len(f.text) + max(f.limit, slack) for f in forms), default=0)
        )
        object.__setattr__(self, "_squashed", frozenset(f.squashed for f in forms))

    @classmethod
    def build(
        cls,
        answer: str,
        aliases: Iterable[str] = (),
        wrong: Iterable[str] = (),
        person: bool = False,
        known: frozenset[str] | None = None,
    ) -> AnswerKey:
        """The key of an answer. Rule 6 applies when `known` is given: the other names (normalised, e.g.
        the club table's) a slip must not be as close to."""
        accepted = {normalise(a) for a in (answer, *aliases)} - {""}
        refused = {normalise(w) for w in wrong} - {""}
        wrong_surnames = {s for w in wrong if (s := surname(w))}
        if person:
            for name in (answer, *aliases):
                s = surname(name)
                if s and s not in wrong_surnames:
                    accepted |= {s, normalise(s)}  # "del piero" and, as a guess reads, "piero"
            refused |= wrong_surnames
        seasons = {v for f in refused for v in season_forms(f)}
        accepted |= {v for f in accepted for v in season_forms(f)} - seasons
        refused |= seasons
        slips = (
            known is not None and not (accepted & known) and not any(c.isdigit() for f in accepted for c in f)
        )
        others = (known | refused | wrong_surnames) - accepted if known is not None and slips else frozenset()
        return cls(frozenset(accepted), frozenset(refused - accepted), frozenset(others), slips)

    def matches(self, guess: str) -> bool:
        """True if `guess` names the answer (see the module docstring for the rule)."""
        g = normalise(guess)
        if not g:
            return False
        if g in self.accepted:
            return True
        if g in self.refused:
            return False
        squashed = g.replace(" ", "")
        if len(g) > self._longest and squashed not in self._squashed:
            return False  # too long to be a typo of any form, and not one with its spaces moved
        digits = not squashed.isalpha() and any(c.isdigit() for c in squashed)
        words = g.split()
        best = None
        for form in self._forms:
            d = _close(g, squashed, digits, words, form)
            if d is not None and (best is None or d < best):
                best = d
        if best is None:
            return self.slips and not digits and self._slip(g, words)
        # A rival at distance `best` or nearer refuses the guess; farther ones need not be measured.
        return all(Levenshtein.distance(g, w, score_cutoff=best) > best for w in self.refused)

    def _slip(self, g: str, words: list[str]) -> bool:
        """Rule 6: one slip in a short word of an accepted name, and no other known name as close."""
        if not any(_one_slip(words, form.words) for form in self._forms):
            return False
        return all(Levenshtein.distance(g, other, score_cutoff=1) > 1 for other in self.known)


def _one_slip(guess: list[str], form: tuple[str, ...]) -> bool:
    """True if `guess` is `form` with one slip (edit) in its last word, of 3-5 letters; the rest exact."""
    if len(guess) != len(form) or sum(len(w) for w in form) < SLIP_MIN:
        return False
    if guess[:-1] != list(form[:-1]):  # only the last word (the surname) may slip
        return False
    g, f = guess[-1], form[-1]
    return 3 <= len(f) <= SHORT_WORD and Levenshtein.distance(g, f, score_cutoff=1) == 1


def is_person_question(question: str) -> bool:
    """Questions asking 'Who…'/'Whose…' ('Chi…', 'Di chi…', 'A chi…') are about people: surnames count."""
    return bool(_WHO.match(question))
