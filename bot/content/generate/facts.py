"""On-this-day facts from the match records: finals, title-deciding days, record wins, derbies, big
wins, Italy at World Cups and Euros, the champions' and Atalanta's matches.

Each fact names its year and says why the match matters; "how many years ago" is added when it is shown
(bot/facts/ago.py), so the text never goes stale. One fact per match: the first category that claims a
match keeps it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.content.generate.context import EUROPE, NATIONAL, Records, record_source
from bot.content.generate.drafts import stable_id
from bot.content.generate.words import (
    STAGES,
    club_it,
    nation_it,
    nation_it_art,
    ordinal_en,
    ordinal_word_en,
    ordinal_word_it,
    stage,
    the_nation,
    tournament,
)
from bot.content.records.derived import derby_of, title_clinched
from bot.content.records.model import Match
from bot.content.records.sources import COMPETITION_NAMES, COMPETITION_NAMES_IT

SEED_CLUB = "atalanta"
COMP_ART_IT = {
    "coppa-italia": "la Coppa Italia",
    "champions-league": "la Champions League",
    "europa-league": "l'Europa League",
    "conference-league": "la Conference League",
}
FACT_PACK = "records-on-this-day"
SAME_TEAM = {"West Germany": "Germany"}


@dataclass
class FactDraft:
    """One generated fact."""

    id: str
    date: dt.date
    text: str
    text_it: str
    source: str
    tags: list[str]
    clubs: list[str] = field(default_factory=list)
    kind: str = ""

    def entry(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "text_it": self.text_it,
            "date": self.date,
            "date_source": "match record",
            "tags": list(dict.fromkeys(t for t in self.tags if t))[:8],
            "source": self.source[:1024],
            "clubs": list(dict.fromkeys(self.clubs)),
        }


@dataclass(frozen=True)
class Side:
    """A side of a match in text: English and Italian subject forms, and the Italian name bare."""

    en: str
    it: str
    it_bare: str
    slug: str | None
    plural: bool = False


def _sides(records: Records, m: Match) -> tuple[Side, Side]:
    out = []
    for name in (m.home, m.away):
        if m.competition in NATIONAL:
            it = nation_it(name)
            art = nation_it_art(it)
            out.append(Side(the_nation(name), art, it, None, art.startswith(("i ", "gli "))))
        else:
            c = records.club(name)
            out.append(Side(c.name, club_it(c.italian_name, c.slug), c.italian_name, c.slug))
    return out[0], out[1]


def _result(m: Match, home: Side, away: Side) -> tuple[str, str]:
    """'Inter beat AC Milan 5-1' / 'l'Inter ha battuto il Milan 5-1' (winner's score first), draws too."""
    assert m.score is not None
    h, a = m.score
    extra = " after extra time" if m.extra_time else ""
    extra_it = " dopo i supplementari" if m.extra_time else ""
    if h == a and not m.penalties:
        return (
            f"{home.en} and {away.en} drew {h}-{a}{extra}",
            f"{home.it} e {away.it} hanno pareggiato {h}-{a}{extra_it}",
        )
    if m.penalties and h != a:  # the second leg of a tie settled on penalties
        shoot = home if m.penalties[0] > m.penalties[1] else away
        w, lo = max(m.penalties), min(m.penalties)
        return (
            f"{home.en} {h}-{a} {away.en}{extra}, and {shoot.en} won the tie {w}-{lo} on penalties",
            f"{home.it_bare}-{away.it_bare} {h}-{a}{extra_it}, e {shoot.it} ha vinto ai rigori {w}-{lo}",
        )
    if m.penalties:
        home_won = m.penalties[0] > m.penalties[1]
        win, lose = (home, away) if home_won else (away, home)
        w, lo = max(m.penalties), min(m.penalties)
        verb_it = "hanno battuto" if win.plural else "ha battuto"
        return (
            f"{win.en} beat {lose.en} {w}-{lo} on penalties ({h}-{a}{extra})",
            f"{win.it} {verb_it} {lose.it} {w}-{lo} ai rigori ({h}-{a}{extra_it})",
        )
    home_won = h > a
    win, lose = (home, away) if home_won else (away, home)
    hi, lo = (h, a) if home_won else (a, h)
    verb, verb_it = "beat", "ha battuto"
    if win.plural:
        verb_it = verb_it.replace("ha ", "hanno ")
    return (
        f"{win.en} {verb} {lose.en} {hi}-{lo}{extra}",
        f"{win.it} {verb_it} {lose.it} {hi}-{lo}{extra_it}",
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def at_place(n: int) -> str:
    """'al 5º posto', 'all'8º posto' (ottavo and undicesimo start with a vowel)."""
    return f"all'{n}º posto" if n in (8, 11) else f"al {n}º posto"


def low(text: str) -> str:
    """The text with a small first letter (a sentence fragment after 'Nel 2006')."""
    return text[:1].lower() + text[1:]


# How much a kind of fact matters, most first: "on this day" shows and posts the top of the day.
KIND_RANK = (
    "final", "title", "italy", "record", "derby", "knockout", "atalanta", "europe", "big-win",
    "champion", "coppa", "standings", "serie-b", "qualifying",
)  # fmt: skip


def fact_rank(fact_id: str) -> int:
    """0 for hand-written facts, then by kind (the generated id starts with its kind)."""
    pack, _, local = fact_id.partition(":")
    if pack != FACT_PACK:
        return 0
    kind = local.rsplit("-", 1)[0]
    return 1 + (KIND_RANK.index(kind) if kind in KIND_RANK else len(KIND_RANK))


def _fact(m: Match, kind: str, text: str, text_it: str, tags: list[str], clubs: list[str]) -> FactDraft:
    assert m.date is not None
    return FactDraft(
        id=stable_id(kind, m.competition, m.season, m.date, m.home, m.away),
        date=m.date,
        text=text,
        text_it=text_it,
        source=record_source(m),
        tags=tags,
        clubs=clubs,
        kind=kind,
    )


def _titles(records: Records, comp: str) -> dict[tuple[str, str], int]:
    """For national tournaments: (season, winner) → how many titles the winner had won by then."""
    count: Counter[str] = Counter()
    out: dict[tuple[str, str], int] = {}
    for season in records.seasons(comp):
        finals = [m for m in records.by_competition[(comp, season)] if stage(m.round) == "final" and m.winner]
        if finals:
            winner = finals[-1].winner
            assert winner
            count[SAME_TEAM.get(winner, winner)] += 1  # FIFA and UEFA credit West Germany's titles to Germany
            out[(season, winner)] = count[SAME_TEAM.get(winner, winner)]
    return out


def finals(records: Records) -> Iterator[FactDraft]:
    for comp in (*NATIONAL, *EUROPE, "coppa-italia"):
        titles = _titles(records, comp) if comp in NATIONAL else {}
        for season in records.seasons(comp):
            games = [m for m in records.by_competition[(comp, season)] if stage(m.round) == "final"]
            for m in games:
                if not m.date or not m.played or not m.winner:
                    continue
                home, away = _sides(records, m)
                result, result_it = _result(m, home, away)
                year = m.date.year
                if comp in NATIONAL:
                    label, _, label_di = tournament(comp, season)
                    n = titles.get((season, m.winner), 0)
                    win_en = the_nation(m.winner)
                    kind_en = "World Cup" if comp == "world-cup" else "European Championship"
                    why = f"{_cap(win_en)}'s {ordinal_word_en(n)} {kind_en} title" if n else "the title"
                    why = why.replace("s's", "s'")
                    title_it = "mondiale" if comp == "world-cup" else "europeo"
                    of_winner = nation_it_art(nation_it(m.winner), "di")
                    why_it = f"il {ordinal_word_it(n)} titolo {title_it} {of_winner}"
                    where = f" in {m.city}" if m.city and _city_ok(m.city) else ""
                    text = f"In {year}, {result} in the final of {label}{where}: {why}."
                    text_it = f"Nel {year} {low(result_it)} nella finale {label_di}: {why_it}."
                    tags = [kind_en, "Final", m.home, m.away]
                    clubs: list[str] = []
                else:
                    comp_en, comp_it = COMPETITION_NAMES[comp], COMPETITION_NAMES_IT[comp]
                    win = home if records.club(m.winner).slug == home.slug else away
                    text = (
                        f"In {year}, {result} in the {comp_en} final ({season}): {win.en} won the {comp_en}."
                    )
                    text_it = (
                        f"Nel {year} {low(result_it)} nella finale di {comp_it} {season}: "
                        f"{win.it} ha vinto {COMP_ART_IT[comp]}."
                    )
                    tags = [comp_en, "Final", home.en, away.en]
                    clubs = [s for s in (home.slug, away.slug) if s]
                yield _fact(m, "final", text, text_it, tags, clubs)


def _city_ok(city: str) -> bool:
    from bot.content.generate.words import city_it

    return city_it(city) is not None


def serie_a(records: Records) -> Iterator[FactDraft]:
    """Title-deciding days, the season's biggest win, derbies, big wins, the champions' wins."""
    for season in records.seasons("serie-a"):
        games = [m for m in records.by_competition[("serie-a", season)] if m.played and m.date and m.score]
        table = records.tables.get(season)
        position = {r.club: r.position for r in table} if table else {}
        champion = table[0].club if table and not table[0].tie_break else None
        clinched = (
            title_clinched(records.by_competition[("serie-a", season)], table, records.clubs)
            if table
            else None
        )
        margins = sorted(games, key=lambda m: -abs(m.score[0] - m.score[1]))  # type: ignore[index]
        top = abs(margins[0].score[0] - margins[0].score[1]) if margins else 0  # type: ignore[index]
        record_games = [m for m in margins if abs(m.score[0] - m.score[1]) == top]  # type: ignore[index]
        for m in games:
            assert m.score is not None and m.date is not None
            home, away = _sides(records, m)
            result, result_it = _result(m, home, away)
            year = m.date.year
            slugs = [home.slug or "", away.slug or ""]
            winner = records.club(m.winner).slug if m.winner else None
            tags = ["Serie A", home.en, away.en]
            if clinched and m.date == clinched and champion in slugs:
                c = records.clubs.by_slug(champion)
                pts = table[0].points  # type: ignore[index]
                yield _fact(
                    m,
                    "title",
                    f"In {year}, {result} in Serie A: after that day's results no one could catch {c.name}, "
                    f"champions of Serie A {season} (they finished on {pts} points).",
                    f"Nel {year} {low(result_it)} in Serie A: dopo i risultati di quel giorno "
                    f"nessuno poteva più raggiungere {club_it(c.italian_name, c.slug)}, campione d'Italia "
                    f"{season} (chiuse con {pts} punti).",
                    [*tags, "Scudetto"],
                    slugs,
                )
                continue
            derby = derby_of(*slugs)
            if derby:
                victor = records.clubs.by_slug(winner) if winner else None
                verdict = f"{victor.name} won the derby" if victor else "the derby was drawn"
                verdict_it = (
                    f"il derby l'ha vinto {club_it(victor.italian_name, victor.slug)}"
                    if victor
                    else "il derby è finito in parità"
                )
                yield _fact(
                    m,
                    "derby",
                    f"In {year}, {result} in the {derby[0]} (Serie A {season}): {verdict}.",
                    f"Nel {year} {low(result_it)} nel {derby[1]} (Serie A {season}): {verdict_it}.",
                    [*tags, derby[0]],
                    slugs,
                )
                continue
            margin = abs(m.score[0] - m.score[1])
            if m in record_games and len(record_games) <= 2 and margin >= 4:
                yield _fact(
                    m,
                    "record",
                    f"In {year}, {result} in Serie A: the biggest winning margin of the {season} season "
                    f"({margin} goals).",
                    f"Nel {year} {low(result_it)} in Serie A: lo scarto più ampio della "
                    f"stagione {season} ({margin} gol).",
                    [*tags, "record"],
                    slugs,
                )
                continue
            if margin >= 4:
                yield _fact(
                    m,
                    "big-win",
                    f"In {year}, {result} in Serie A {season}: a {margin}-goal win.",
                    f"Nel {year} {low(result_it)} nella Serie A {season}: una vittoria con "
                    f"{margin} gol di scarto.",
                    tags,
                    slugs,
                )
                continue
            if SEED_CLUB in slugs and SEED_CLUB in position:
                pos = position[SEED_CLUB]
                yield _fact(
                    m,
                    "atalanta",
                    f"In {year}, {result} in Serie A: Atalanta went on to finish {ordinal_en(pos)} "
                    f"in {season}.",
                    f"Nel {year} {low(result_it)} in Serie A: l'Atalanta avrebbe chiuso la "
                    f"stagione {season} {at_place(pos)}.",
                    [*tags, "Atalanta"],
                    slugs,
                )
                continue
            if champion and winner != champion and position:
                a, b = position[slugs[0]], position[slugs[1]]
                yield _fact(
                    m,
                    "standings",
                    f"In {year}, {result} in Serie A {season}: {home.en} went on to finish {ordinal_en(a)}, "
                    f"{away.en} {ordinal_en(b)}.",
                    f"Nel {year} {low(result_it)} nella Serie A {season}: a fine stagione "
                    f"{home.it} avrebbe chiuso {at_place(a)}, {away.it} {at_place(b)}.",
                    tags,
                    slugs,
                )
                continue
            if champion and winner == champion:
                c = records.clubs.by_slug(champion)
                yield _fact(
                    m,
                    "champion",
                    f"In {year}, {result} in Serie A, on the way to the {season} title.",
                    f"Nel {year} {low(result_it)} in Serie A, verso lo scudetto {season} "
                    f"{club_it(c.italian_name, c.slug, 'di')}.",
                    [*tags, "Scudetto"],
                    slugs,
                )


def italy(records: Records) -> Iterator[FactDraft]:
    """Italy at World Cups and Euros: every match, with how the tournament ended for Italy."""
    for comp in NATIONAL:
        for season in records.seasons(comp):
            games = [m for m in records.by_competition[(comp, season)] if m.played and m.date and m.score]
            mine = [m for m in games if "Italy" in (m.home, m.away)]
            if not mine:
                continue
            label, _, label_di = tournament(comp, season)
            outcome, outcome_it = _italy_outcome(mine)
            for m in mine:
                home, away = _sides(records, m)
                result, result_it = _result(m, home, away)
                st = stage(m.round)
                where = (
                    STAGES[st][0] if st else "group stage" if m.round.lower().startswith("group") else m.round
                )
                where_it = (
                    STAGES[st][1]
                    if st
                    else "nella fase a gironi"
                    if m.round.lower().startswith("group")
                    else f"({m.round})"
                )
                if st == "final":
                    continue  # a final is a fact of its own
                year = m.date.year  # type: ignore[union-attr]
                yield _fact(
                    m,
                    "italy",
                    f"In {year}, {result} at {label} ({where}): {outcome}.",
                    f"Nel {year} {low(result_it)} {where_it} {label_di}: {outcome_it}.",
                    ["Italy", "World Cup" if comp == "world-cup" else "Euros", m.home, m.away],
                    [],
                )


def _italy_outcome(mine: list[Match]) -> tuple[str, str]:
    last = max(mine, key=lambda m: (m.date, m.line))  # type: ignore[arg-type, return-value]
    st = stage(last.round)
    if st == "final" and last.winner == "Italy":
        return "Italy went on to win the tournament", "l'Italia avrebbe poi vinto il torneo"
    if st == "final":
        return "Italy went on to reach the final", "l'Italia sarebbe poi arrivata in finale"
    if st and last.loser == "Italy":
        return (
            f"Italy went out in the {STAGES[st][0]}",
            f"l'Italia sarebbe poi uscita {STAGES[st][1]}",
        )
    if st == "third":
        return "Italy went on to play for third place", "l'Italia avrebbe poi giocato per il terzo posto"
    return "Italy went out at the first stage", "l'Italia sarebbe poi uscita al primo turno"


def europe(records: Records) -> Iterator[FactDraft]:
    """Italian clubs in European knockouts, and the seed club's European nights."""
    for comp in (*EUROPE, "coppa-italia"):
        comp_en = COMPETITION_NAMES[comp]
        for season in records.seasons(comp):
            for m in records.by_competition[(comp, season)]:
                if not m.played or not m.date or not m.score:
                    continue
                st = stage(m.round)
                home, away = _sides(records, m)
                italian = [
                    c for c in (records.club(m.home), records.club(m.away)) if c.country == "ITA" and c.listed
                ]
                seed = SEED_CLUB in (home.slug, away.slug)
                if not italian or (not st and not seed):
                    continue
                if comp == "coppa-italia" and not st:
                    continue
                result, result_it = _result(m, home, away)
                where = STAGES[st][0] if st else "league/group stage"
                where_it = STAGES[st][1] if st else "nella fase a gironi"
                club = italian[0]
                why, why_it = _campaign(records, comp, season, club.slug)
                yield _fact(
                    m,
                    "europe",
                    f"In {m.date.year}, {result} in the {comp_en} {season} ({where}): {club.name} {why}.",
                    f"Nel {m.date.year} {low(result_it)} {where_it} {_comp_di(comp)} {season}: "
                    f"{club_it(club.italian_name, club.slug)} {why_it}.",
                    [comp_en, home.en, away.en],
                    [s for s in (home.slug, away.slug) if s],
                )


def _campaign(records: Records, comp: str, season: str, slug: str) -> tuple[str, str]:
    """How a club's campaign ended: 'went on to win the trophy' / 'went out in the quarter-final'."""
    games = [
        m
        for m in records.by_competition[(comp, season)]
        if m.date and slug in (records.club(m.home).slug, records.club(m.away).slug)
    ]
    last = max(games, key=lambda m: (m.date, m.line))  # type: ignore[arg-type, return-value]
    st = stage(last.round)
    if st == "final":
        if last.winner and records.club(last.winner).slug == slug:
            return "went on to win the trophy", "avrebbe poi vinto il trofeo"
        return "went on to lose the final", "avrebbe poi perso la finale"
    if st:
        return f"went out in the {STAGES[st][0]}", f"sarebbe poi uscita {STAGES[st][1]}"
    return "went no further than the league/group stage", "non avrebbe superato la fase a gironi"


def _comp_di(comp: str) -> str:
    return {
        "coppa-italia": "di Coppa Italia",
        "champions-league": "di Champions League",
        "europa-league": "di Europa League",
        "conference-league": "di Conference League",
    }[comp]


def tournaments(records: Records) -> Iterator[FactDraft]:
    """World Cup and Euro knockout matches without Italy."""
    for comp in NATIONAL:
        for season in records.seasons(comp):
            label, _, label_di = tournament(comp, season)
            for m in records.by_competition[(comp, season)]:
                st = stage(m.round)
                if not st or st == "final" or not m.played or not m.date or "Italy" in (m.home, m.away):
                    continue
                home, away = _sides(records, m)
                result, result_it = _result(m, home, away)
                nxt = {
                    "semi": ("into the final", "in finale"),
                    "quarter": ("into the semi-finals", "in semifinale"),
                    "r16": ("into the quarter-finals", "ai quarti di finale"),
                    "r32": ("into the round of 16", "agli ottavi di finale"),
                    "third": ("for third place", "per il terzo posto"),
                }.get(st)
                if not nxt:
                    continue
                winner = home if m.winner == m.home else away
                go = "finished third" if st == "third" else f"went through {nxt[0]}"
                go_it = (
                    "ha chiuso al terzo posto"
                    if st == "third"
                    else f"è passata {nxt[1]}"
                    if winner.it.startswith(("la ", "l'"))
                    else f"è passato {nxt[1]}"
                )
                yield _fact(
                    m,
                    "knockout",
                    f"In {m.date.year}, {result} in the {STAGES[st][0]} of {label}: {winner.en} {go}.",
                    f"Nel {m.date.year} {low(result_it)} {STAGES[st][1]} {label_di}: {winner.it} {go_it}.",
                    ["World Cup" if comp == "world-cup" else "Euros", m.home, m.away],
                    [],
                )


def serie_b(records: Records) -> Iterator[FactDraft]:
    """Serie B matches of clubs promoted that season (they appear in the next Serie A season)."""
    seasons_a = records.seasons("serie-a")
    for season in records.seasons("serie-b"):
        nxt = f"{int(season[:4]) + 1}-{(int(season[:4]) + 2) % 100:02d}"
        if nxt not in seasons_a:
            continue
        promoted = {
            records.club(n).slug for m in records.by_competition[("serie-a", nxt)] for n in (m.home, m.away)
        }
        for m in records.by_competition[("serie-b", season)]:
            if not m.played or not m.date or not m.score:
                continue
            home, away = _sides(records, m)
            up = [s for s in (home, away) if s.slug in promoted]
            if len(up) != 1:
                continue
            club = up[0]
            result, result_it = _result(m, home, away)
            yield _fact(
                m,
                "serie-b",
                f"In {m.date.year}, {result} in Serie B {season}: {club.en} were promoted that season "
                f"and played Serie A in {nxt}.",
                f"Nel {m.date.year} {low(result_it)} nella Serie B {season}: a fine stagione "
                f"{club.it} avrebbe conquistato la promozione, giocando la Serie A {nxt}.",
                ["Serie B", home.en, away.en, "promotion"],
                [s for s in (home.slug, away.slug) if s],
            )


def qualifying(records: Records) -> Iterator[FactDraft]:
    """UEFA qualifiers won by clubs that then played in the competition proper."""
    main = {
        "champions-league-qualifying": ("champions-league", "europa-league", "conference-league"),
        "europa-league-qualifying": ("europa-league", "conference-league"),
        "conference-league-qualifying": ("conference-league",),
    }
    for comp, targets in main.items():
        for season in records.seasons(comp):
            for m in records.by_competition[(comp, season)]:
                if not m.played or not m.date or not m.score or not m.winner:
                    continue
                home, away = _sides(records, m)
                winner = home if m.winner == m.home else away
                reached = next(
                    (
                        t
                        for t in targets
                        if any(
                            winner.slug in (records.club(x.home).slug, records.club(x.away).slug)
                            for x in records.by_competition.get((t, season), [])
                            if not x.round.lower().startswith(("play", "qual"))
                        )
                    ),
                    None,
                )
                if reached is None:
                    continue
                result, result_it = _result(m, home, away)
                name, name_it = COMPETITION_NAMES[comp], COMPETITION_NAMES_IT[comp]
                target = COMPETITION_NAMES[reached]
                yield _fact(
                    m,
                    "qualifying",
                    f"In {m.date.year}, {result} in {name} ({season}, {m.round}): "
                    f"{winner.en} went on to play in the {target}.",
                    f"Nel {m.date.year} {low(result_it)} nelle {name_it} {season} ({m.round}): {winner.it} "
                    f"avrebbe poi giocato {COMP_ART_IT[reached]}.",
                    [name, home.en, away.en],
                    [s for s in (home.slug, away.slug) if s],
                )


def coppa_rounds(records: Records) -> Iterator[FactDraft]:
    """Coppa Italia ties (one match each until the semi-finals): who went through."""
    for season in records.seasons("coppa-italia"):
        for m in records.by_competition[("coppa-italia", season)]:
            if not m.played or not m.date or not m.winner or stage(m.round) in ("semi", "final"):
                continue
            home, away = _sides(records, m)
            winner = home if m.winner == m.home else away
            result, result_it = _result(m, home, away)
            round_it = m.round.replace("Preliminary round", "turno preliminare").replace(
                "Round of 16", "ottavi"
            )
            round_it = round_it.replace("Quarterfinals", "quarti").replace("Round", "turno")
            yield _fact(
                m,
                "coppa",
                f"In {m.date.year}, {result} in the Coppa Italia {season} ({m.round}): "
                f"{winner.en} went through.",
                f"Nel {m.date.year} {low(result_it)} in Coppa Italia {season} ({round_it}): "
                f"{winner.it} {'hanno' if winner.plural else 'ha'} passato il turno.",
                ["Coppa Italia", home.en, away.en],
                [s for s in (home.slug, away.slug) if s],
            )


GENERATORS = (finals, italy, serie_a, europe, tournaments, serie_b, qualifying, coppa_rounds)


def generate_facts(records: Records) -> list[FactDraft]:
    """Every fact, one per match, in a stable order."""
    seen: set[tuple] = set()
    out: list[FactDraft] = []
    for generator in GENERATORS:
        for f in generator(records):
            match = (f.date, f.source)  # one fact per match record
            if match in seen:
                continue
            seen.add(match)
            out.append(f)
    return out


def coverage(dates: list[dt.date]) -> dict[tuple[int, int], int]:
    """How many facts fall on each calendar day (month, day)."""
    out: dict[tuple[int, int], int] = defaultdict(int)
    for d in dates:
        out[(d.month, d.day)] += 1
    return dict(out)
