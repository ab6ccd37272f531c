"""The club table (content/clubs.yaml): one club per canonical name, every spelling that means it.

Used twice: the records' spellings ("Atalanta BC", "Atalanta (ITA)") resolve to one club before anything
is counted, and a typed answer naming a club accepts every form of it ("Juventus FC", "A.S. Roma",
"Paris St Germain", "FC Midtjylland"/"Midtjylland FC").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot import PROJECT_ROOT
from bot.content.yamlio import load_yaml

# Words that name a club's type or founding year rather than the club: dropped when comparing spellings.
_TYPE_WORDS = "fc cf afc ac acf as ss ssc us uc sc bc cfc kv sk fk sl"
CLUB_WORDS = frozenset(f"{_TYPE_WORDS} calcio club de d sv vfl vfb bsc rsc ssd asd".split())
_COUNTRY = re.compile(r"\s*\([A-Z]{3}\)\s*$")
_ABBREV = re.compile(r"\b([A-Z]{2,3})\b")


@functools.lru_cache(maxsize=65536)
def key(text: str) -> str:
    """A spelling folded for comparison: accents, case and punctuation dropped."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ø", "o").replace("ł", "l"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


@functools.lru_cache(maxsize=16384)
def core(text: str) -> str:
    """The club's own name in a spelling: no country code, type words or years ("1. FC Union Berlin
    (GER)" → "union berlin")."""
    words = [w for w in key(_COUNTRY.sub("", text)).split() if w not in CLUB_WORDS and not w.isdigit()]
    return " ".join(words)


@dataclass(frozen=True)
class Club:
    """One club: slug, names and every known spelling."""

    slug: str
    name: str
    name_it: str | None = None
    country: str | None = None
    city: str | None = None
    records: tuple[str, ...] = ()
    fans: tuple[str, ...] = ()
    listed: bool = True  # False: made up from a record spelling that the table does not list

    @property
    def italian_name(self) -> str:
        return self.name_it or self.name

    @functools.cached_property
    def _forms(self) -> tuple[str, ...]:
        return self._compute_forms()

    def forms(self) -> tuple[str, ...]:
        """Every accepted way to write the club, variants included, without repeats."""
        return self._forms

    def _compute_forms(self) -> tuple[str, ...]:
        """Every accepted way to write the club, variants included, without repeats."""
        official = [self.name, *([self.name_it] if self.name_it else [])]
        official += [_COUNTRY.sub("", r) for r in self.records]
        out: list[str] = []
        for form in official:
            out += [form, *_variants(form, affixes=True)]
        for form in self.fans:
            out += [form, *_variants(form, affixes=False)]
        seen: set[str] = set()
        return tuple(f for f in out if f.strip() and not (key(f) in seen or seen.add(key(f))))  # type: ignore[func-returns-value]


def _variants(form: str, *, affixes: bool) -> list[str]:
    """Spellings fans type for `form`: dotted initials, FC before or after, Saint/St."""
    out = []
    if _ABBREV.search(form):
        out.append(_ABBREV.sub(lambda m: ".".join(m.group(1)) + ".", form))
    own = core(form)
    if affixes and own and own == key(form):
        out += [f"FC {form}", f"{form} FC"]
    for a, b in (("Saint", "St"), ("Saint", "St.")):
        if a in form:
            out.append(form.replace(a, b))
    return out


@dataclass
class ClubTable:
    """The clubs of content/clubs.yaml with lookups by record spelling and by answer form."""

    clubs: list[Club]
    _by_record: dict[str, Club] = field(default_factory=dict)
    _by_core: dict[str, Club] = field(default_factory=dict)
    _by_form: dict[str, Club] = field(default_factory=dict)
    _by_slug: dict[str, Club] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for club in self.clubs:
            self._by_slug[club.slug] = club
            for spelling in (club.name, *club.records):
                self._by_record.setdefault(spelling, club)
                self._by_core.setdefault(core(spelling), club)
            for form in club.forms():
                self._by_form.setdefault(key(form), club)

    def resolve(self, spelling: str) -> Club:
        """The club a record spelling names; an unlisted one becomes a club of its own (by its core)."""
        club = self._by_record.get(spelling) or self._by_core.get(core(spelling))
        if club is None:
            name = _COUNTRY.sub("", spelling).strip()
            slug = re.sub(r"[^a-z0-9]+", "-", key(core(spelling) or name)).strip("-")[:40] or "club"
            country = m.group(0).strip(" ()") if (m := _COUNTRY.search(spelling)) else None
            club = Club(slug=slug, name=name, country=country, records=(spelling,), listed=False)
            self._by_record[spelling] = club
            self._by_core.setdefault(core(spelling), club)
            self._by_slug.setdefault(slug, club)
        return club

    def by_slug(self, slug: str) -> Club:
        """A club seen before (listed, or resolved from a record spelling) by its slug."""
        return self._by_slug[slug]

    def find(self, answer: str) -> Club | None:
        """The listed club an answer names, if any."""
        return self._by_form.get(key(answer))

    def expand(self, answer: str, aliases: Sequence[str]) -> tuple[str, ...]:
        """`aliases` plus every form of the club the answer names (unchanged if it names none)."""
        club = self.find(answer)
        if club is None:
            return tuple(aliases)
        have = {key(answer), *(key(a) for a in aliases)}
        return (*aliases, *(f for f in club.forms() if key(f) not in have))


def load_clubs(path: Path) -> ClubTable:
    """Read a clubs file; a missing file gives an empty table."""
    if not path.exists():
        return ClubTable([])
    raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    clubs = [
        Club(
            slug=c["slug"],
            name=c["name"],
            name_it=c.get("name_it"),
            country=c.get("country"),
            city=c.get("city"),
            records=tuple(c.get("records") or ()),
            fans=tuple(c.get("fans") or ()),
        )
        for c in raw.get("clubs", [])
    ]
    slugs = [c.slug for c in clubs]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"{path}: a club slug appears twice")
    return ClubTable(clubs)


@functools.lru_cache(maxsize=4)
def club_table(content_dir: Path = PROJECT_ROOT / "content") -> ClubTable:
    """The club table of a content folder, read once."""
    return load_clubs(content_dir / "clubs.yaml")


def with_club_forms(answer: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """The aliases of an answer, with every form of the club it names (for the answer key)."""
    return club_table().expand(answer, tuple(aliases))


def all_club_forms() -> tuple[str, ...]:
    """Every form of every listed club ("Roma", "AS Roma", "Inter", "Internazionale"…)."""
    return tuple(f for club in club_table().clubs for f in club.forms())
