"""Question templates over the match records (see content/README.md, "Generated content").

Each template yields drafts with the answer, three wrong choices from the same season or competition
that cannot also be true, aliases (club forms, the other score order, the Italian answer), a source
line naming the record, and an Italian form. Nothing that hangs on a tie-break is asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.content.clubs import Club, key
from bot.content.generate.context import EUROPE, NATIONAL, Records, Team, record_source
from bot.content.generate.drafts import (
    Draft,
    club_aliases,
    number_choices,
    score_choices,
    score_text,
    stable_id,
)
from bot.content.generate.words import (
    STAGES,
    city_it,
    club_it,
    date_en,
    date_it,
    nation_it,
    nation_it_art,
    ordinal_en,
    ordinal_it,
    ordinal_word_en,
    ordinal_word_it,
    possessive,
    stage,
    tournament,
)
from bot.content.records.derived import Row, biggest_wins, derby_of, unbeaten_runs
from bot.content.records.model import Match
from bot.content.records.sources import COMPETITION_NAMES, COMPETITION_NAMES_IT

CATEGORY = {
    "serie-a": "Serie A",
    "coppa-italia": "Coppa Italia",
    "champions-league": "Champions League",
    "europa-league": "Europa League",
    "conference-league": "Conference League",
    "world-cup": "World Cup",
    "euro": "Euros",
}
SEED_CLUB = "atalanta"
COMP_DI_IT = {
    "coppa-italia": "della Coppa Italia",
    "champions-league": "della Champions League",
    "europa-league": "dell'Europa League",
    "conference-league": "della Conference League",
}


def _table_source(records: Records, season: str) -> str:
    n = len(records.by_competition[("serie-a", season)])
    deductions = [
        f"{club} -{pts} ({src})"
        for (s, club), (pts, src) in records.adjustments.deductions.items()
        if s == season
    ]
    extra = f"; deductions: {'; '.join(deductions)}" if deductions else ""
    return (
        f"Final table computed from the {n} match records of Serie A {season} "
        f"(openfootball italy/{season}/1-seriea.txt), Serie A tie-break rules{extra}"
    )


@dataclass(frozen=True)
class _TableContext:
    """One season's table, for the questions about who finished where."""

    season: str
    table: list[Row]
    club: dict[str, Club]
    src: str

    def who(
        self, pos: int, what_en: str, what_it: str, others: list[int], difficulty: str, tag: str
    ) -> Draft | None:
        table, season = self.table, self.season
        row = table[pos - 1]
        if row.tie_break or any(table[o - 1].tie_break and table[o - 1].points == row.points for o in others):
            return None
        wrong = [self.club[table[o - 1].club] for o in others]
        answer = self.club[row.club]
        return Draft(
            id=stable_id("sa-" + tag, season),
            asks=("serie-a", season, tag),
            question=f"{what_en} Serie A in {season}?",
            answer=answer.name,
            aliases=club_aliases(answer),
            choices=[w.name for w in wrong],
            category="Serie A",
            difficulty=difficulty,
            source=self.src,
            competition="serie-a",
            clubs=[row.club],
            question_it=f"{what_it} Serie A {season}?",
            answer_it=answer.italian_name,
            choices_it=[w.italian_name for w in wrong],
        )


def serie_a_tables(records: Records) -> Iterator[Draft]:
    """Champion, runner-up, bottom club, and each club's points, position, wins, defeats, goals."""
    for season, table in records.tables.items():
        src = _table_source(records, season)
        club = {r.club: records.clubs.by_slug(r.club) for r in table}
        name = {slug: c.name for slug, c in club.items()}
        name_it = {slug: c.italian_name for slug, c in club.items()}
        subj_it = {slug: club_it(c.italian_name, slug) for slug, c in club.items()}

        ctx = _TableContext(season, table, club, src)
        for d in (
            ctx.who(1, "Who won", "Chi ha vinto la", [2, 3, 4], "easy", "champion"),
            ctx.who(
                2, "Who finished second in", "Chi è arrivato secondo nella", [1, 3, 4], "medium", "runner-up"
            ),
            ctx.who(
                20,
                "Which club finished bottom of",
                "Quale squadra è arrivata ultima nella",
                [17, 18, 19],
                "medium",
                "bottom",
            ),
        ):
            if d:
                yield d

        stats: list[tuple[str, Callable, str, str, str, int]] = [
            (
                "points",
                lambda r: r.points,
                "How many points did {c} finish with in Serie A {s}?",
                "Con quanti punti ha chiuso la Serie A {s} {c}?",
                "hard",
                0,
            ),
            (
                "wins",
                lambda r: r.won,
                "How many Serie A matches did {c} win in {s}?",
                "Quante partite ha vinto {c} nella Serie A {s}?",
                "hard",
                0,
            ),
            (
                "defeats",
                lambda r: r.lost,
                "How many Serie A matches did {c} lose in {s}?",
                "Quante partite ha perso {c} nella Serie A {s}?",
                "hard",
                0,
            ),
            (
                "scored",
                lambda r: r.scored,
                "How many Serie A goals did {c} score in {s}?",
                "Quanti gol ha segnato {c} nella Serie A {s}?",
                "hard",
                0,
            ),
            (
                "conceded",
                lambda r: r.conceded,
                "How many Serie A goals did {c} concede in {s}?",
                "Quanti gol ha subito {c} nella Serie A {s}?",
                "hard",
                0,
            ),
        ]
        for tag, value, q_en, q_it, difficulty, floor in stats:
            pool = [value(r) for r in table]
            for r in table:
                if r.deducted:
                    continue  # the figure hangs on a federation decision: not asked
                v = value(r)
                wrong = number_choices(v, pool, floor)
                top = tag == "points" and r.position <= 4 and not r.tie_break
                yield Draft(
                    id=stable_id(f"sa-{tag}", season, r.club),
                    asks=("serie-a", season, tag, r.club),
                    question=q_en.format(c=name[r.club], s=season),
                    answer=str(v),
                    choices=[str(w) for w in wrong],
                    category="Serie A",
                    difficulty="medium" if top else difficulty,
                    source=src,
                    competition="serie-a",
                    clubs=[r.club],
                    question_it=q_it.format(c=subj_it[r.club], s=season),
                    answer_it=str(v),
                    choices_it=[str(w) for w in wrong],
                )
            if tag in ("scored", "conceded"):
                best = max(pool) if tag == "scored" else min(pool)
                leaders = [r for r in table if value(r) == best]
                ranked = sorted({value(r) for r in table} - {best}, reverse=tag == "scored")
                if len(leaders) == 1 and len(ranked) >= 3:
                    wrong_rows = [next(r for r in table if value(r) == v) for v in ranked[:3]]
                    lead = leaders[0].club
                    en = "scored the most" if tag == "scored" else "conceded the fewest"
                    it = "ha segnato più gol" if tag == "scored" else "ha subito meno gol"
                    yield Draft(
                        id=stable_id(f"sa-most-{tag}", season),
                        asks=("serie-a", season, "leader", tag),
                        question=f"Which club {en} Serie A goals in {season}?",
                        answer=name[lead],
                        aliases=club_aliases(club[lead]),
                        choices=[name[w.club] for w in wrong_rows],
                        category="Serie A",
                        difficulty="medium",
                        source=src,
                        competition="serie-a",
                        clubs=[lead],
                        question_it=f"Quale squadra {it} nella Serie A {season}?",
                        answer_it=name_it[lead],
                        choices_it=[name_it[w.club] for w in wrong_rows],
                    )
        for r in table:
            if r.tie_break or r.deducted:
                continue
            near = [
                p
                for p in (r.position - 2, r.position - 1, r.position + 1, r.position + 2, r.position + 3)
                if 1 <= p <= 20
            ]
            wrong = sorted(near, key=lambda p: (abs(p - r.position), p))[:3]
            yield Draft(
                id=stable_id("sa-position", season, r.club),
                asks=("serie-a", season, "position", r.club),
                question=f"Where did {name[r.club]} finish in Serie A {season}?",
                answer=ordinal_en(r.position),
                aliases=[
                    str(r.position),
                    ordinal_word_en(r.position),
                    ordinal_it(r.position),
                    ordinal_word_it(r.position),
                ],
                choices=[ordinal_en(p) for p in sorted(wrong)],
                category="Serie A",
                difficulty="medium" if r.position <= 4 else "hard",
                source=src,
                competition="serie-a",
                clubs=[r.club],
                question_it=f"In che posizione ha chiuso {subj_it[r.club]} la Serie A {season}?",
                answer_it=ordinal_it(r.position),
                choices_it=[ordinal_it(p) for p in sorted(wrong)],
            )


def serie_a_runs(records: Records) -> Iterator[Draft]:
    """Each club's longest unbeaten Serie A run in a season (results on the pitch)."""
    for season in records.seasons("serie-a"):
        games = records.by_competition[("serie-a", season)]
        awarded = {records.club(n).slug for m in games if m.status for n in (m.home, m.away)}
        runs = unbeaten_runs(games, records.clubs)
        pool = [v[0] for v in runs.values()]
        for slug, (length, start, end) in sorted(runs.items()):
            if slug in awarded or length < 2:
                continue
            c = records.clubs.by_slug(slug)
            wrong = number_choices(length, pool, 1)
            yield Draft(
                id=stable_id("sa-unbeaten", season, slug),
                asks=("serie-a", season, "unbeaten", slug),
                question=f"What was {c.name}'s longest unbeaten run in Serie A {season}, in matches?",
                answer=str(length),
                choices=[str(w) for w in wrong],
                category="Serie A",
                difficulty="hard",
                source=f"Computed from the match records of Serie A {season} "
                f"(openfootball italy/{season}/1-seriea.txt): {length} matches without defeat "
                f"from {start.isoformat()} to {end.isoformat()}",
                competition="serie-a",
                clubs=[slug],
                question_it="Qual è stata la serie più lunga di partite senza sconfitte "
                f"{club_it(c.italian_name, slug, 'di')} nella Serie A {season}?",
                answer_it=str(length),
                choices_it=[str(w) for w in wrong],
            )


def serie_a_biggest_wins(records: Records) -> Iterator[Draft]:
    """Each club's biggest Serie A win in the records, when one match holds the mark alone."""
    seasons = records.seasons("serie-a")
    span = f"{seasons[0]} and {seasons[-1]}"
    games = [m for s in seasons for m in records.by_competition[("serie-a", s)]]
    for slug, best in sorted(biggest_wins(games, records.clubs).items()):
        if len(best) != 1 or best[0].margin < 3:
            continue
        w = best[0]
        c = records.clubs.by_slug(slug)
        win = (max(w.match.score), min(w.match.score))  # type: ignore[arg-type]
        wrong = [(win[0] - 1, win[1]), (win[0], win[1] + 1), (win[0] - 2, win[1])]
        wrong = [x for x in wrong if x[0] > x[1] and x != win][:3]
        if len(wrong) < 3:
            continue
        yield Draft(
            id=stable_id("sa-biggest-win", slug),
            asks=("serie-a", "biggest-win", slug),
            question=f"What was {c.name}'s biggest Serie A win between {span}?",
            answer=score_text(win),
            aliases=[f"{win[1]}-{win[0]}"],
            choices=[score_text(x) for x in wrong],
            category="Serie A",
            difficulty="hard",
            source=record_source(w.match),
            competition="serie-a",
            clubs=[slug],
            question_it="Qual è stata la vittoria più larga "
            f"{club_it(c.italian_name, slug, 'di')} in Serie A tra il {seasons[0]} e il {seasons[-1]}?",
            answer_it=score_text(win),
            choices_it=[score_text(x) for x in wrong],
        )


def _score_draft(
    records: Records, m: Match, why_en: str, why_it: str, difficulty: str, prefix: str
) -> Draft | None:
    """'What was the score of Home v Away …?' for one match played on the pitch."""
    if not m.played or m.score is None or m.date is None:
        return None
    home, away = records.team(m.home, m.competition), records.team(m.away, m.competition)
    if m.competition in NATIONAL:
        home = Team(m.home, nation_it(m.home), None)
        away = Team(m.away, nation_it(m.away), None)
    h, a = m.score
    wrong = score_choices(h, a)
    answer = score_text((h, a))
    extra = " after extra time" if m.extra_time else ""
    extra_it = " dopo i supplementari" if m.extra_time else ""
    return Draft(
        id=stable_id(prefix, m.competition, m.season, m.date, home.name, away.name),
        asks=("match", m.competition, m.date, home.name, away.name),
        question=f"{why_en}: what was the score{extra} of {home.name} v {away.name} on {date_en(m.date)}? "
        "(home side first)",
        answer=answer,
        aliases=[f"{a}-{h}"] if h != a else [],
        choices=[score_text(w) for w in wrong],
        category=CATEGORY[m.competition],
        difficulty=difficulty,
        source=record_source(m),
        competition=m.competition,
        clubs=home.slugs + away.slugs,
        question_it=f"{why_it}: come è finita{extra_it} {home.name_it}-{away.name_it} del {date_it(m.date)}? "
        "(prima la squadra di casa)",
        answer_it=answer,
        choices_it=[score_text(w) for w in wrong],
    )


def serie_a_matches(records: Records) -> Iterator[Draft]:
    """Scores of derbies, big wins (four goals or more) and the seed club's matches."""
    for season in records.seasons("serie-a"):
        for m in records.by_competition[("serie-a", season)]:
            if not m.played or m.score is None:
                continue
            home, away = records.club(m.home).slug, records.club(m.away).slug
            derby = derby_of(home, away)
            if derby:
                d = _score_draft(
                    records,
                    m,
                    f"{derby[0]}, Serie A {season}",
                    f"{derby[1]}, Serie A {season}",
                    "medium",
                    "sa-derby",
                )
            elif abs(m.score[0] - m.score[1]) >= 4:
                d = _score_draft(records, m, f"Serie A {season}", f"Serie A {season}", "hard", "sa-big-win")
            elif SEED_CLUB in (home, away):
                d = _score_draft(records, m, f"Serie A {season}", f"Serie A {season}", "hard", "sa-atalanta")
            else:
                continue
            if d:
                yield d


def _knockout_winners(matches: list[Match], records: Records) -> dict[tuple[str, str], str]:
    """For each knockout stage, which side of a pairing went through: the side seen in a later stage,
    or the final's winner. Keys are (stage, frozenset pair as a sorted joined string)."""
    order = ["playoff", "r32", "r16", "quarter", "semi", "final"]
    teams_in: dict[str, set[str]] = defaultdict(set)
    for m in matches:
        st = stage(m.round)
        if st in order:
            teams_in[st] |= {records.club(m.home).slug, records.club(m.away).slug}
    out: dict[tuple[str, str], str] = {}
    for m in matches:
        st = stage(m.round)
        if st not in order:
            continue
        pair = sorted([records.club(m.home).slug, records.club(m.away).slug])
        if st == "final":
            if m.winner:
                out[(st, "|".join(pair))] = records.club(m.winner).slug
            continue
        later = set().union(*(teams_in[s] for s in order[order.index(st) + 1 :]))
        through = [p for p in pair if p in later]
        if len(through) == 1:
            out[(st, "|".join(pair))] = through[0]
    return out


def club_cups(records: Records) -> Iterator[Draft]:
    """Coppa Italia and European finals; Italian clubs' knockout exits; their knockout match scores."""
    for comp in ("coppa-italia", *EUROPE):
        comp_en, comp_it = COMPETITION_NAMES[comp], COMPETITION_NAMES_IT[comp]
        for season in records.seasons(comp):
            games = records.by_competition[(comp, season)]
            in_stage: dict[str, list[str]] = defaultdict(list)
            for m in games:
                if st := stage(m.round):
                    for n in (m.home, m.away):
                        if records.club(n).slug not in in_stage[st]:
                            in_stage[st].append(records.club(n).slug)
            yield from _club_final(records, comp, season, games, in_stage)
            for (st, pair_key), through in sorted(_knockout_winners(games, records).items()):
                if st == "final":
                    continue
                pair = pair_key.split("|")
                out = records.clubs.by_slug(next(p for p in pair if p != through))
                if not out.listed or out.country != "ITA":
                    continue
                through_club = records.clubs.by_slug(through)
                wrong = [records.clubs.by_slug(o) for o in sorted(set(in_stage[st]) - set(pair))[:3]]
                if len(wrong) < 3:
                    continue
                stage_en, stage_it = STAGES[st]
                yield Draft(
                    id=stable_id("ko-exit", comp, season, st, out.slug),
                    asks=(comp, season, "knocked-out", out.slug, st),
                    question=f"Which club knocked {out.name} out of the {comp_en} {season} "
                    f"in the {stage_en}?",
                    answer=through_club.name,
                    aliases=club_aliases(through_club),
                    choices=[w.name for w in wrong],
                    category=CATEGORY[comp],
                    difficulty="medium",
                    source=f"{comp_en} {season} match records (openfootball): {out.name} v "
                    f"{through_club.name} in the {stage_en}; {through_club.name} played in the next round",
                    competition=comp,
                    clubs=[out.slug, through],
                    question_it="Quale squadra ha eliminato "
                    f"{club_it(out.italian_name, out.slug)} {stage_it} {COMP_DI_IT[comp]} {season}?",
                    answer_it=through_club.italian_name,
                    choices_it=[w.italian_name for w in wrong],
                )
            for m in games:
                st = stage(m.round)
                if not st or st == "final":
                    continue
                if not any(
                    c.country == "ITA" and c.listed for c in (records.club(m.home), records.club(m.away))
                ):
                    continue
                stage_en, stage_it = STAGES[st]
                d = _score_draft(
                    records,
                    m,
                    f"{comp_en} {season}, {stage_en}",
                    f"{comp_it} {season}, {stage_it.split(' ', 1)[1]}",
                    "hard",
                    "ko-score",
                )
                if d:
                    yield d


def _club_final(
    records: Records, comp: str, season: str, games: list[Match], in_stage: dict[str, list[str]]
) -> Iterator[Draft]:
    comp_en, comp_it = COMPETITION_NAMES[comp], COMPETITION_NAMES_IT[comp]
    finals = [m for m in games if stage(m.round) == "final" and m.played and m.winner]
    if not finals:
        return
    f = finals[-1]
    win, lose = records.club(f.winner), records.club(f.loser)  # type: ignore[arg-type]
    contenders = [
        records.clubs.by_slug(s)
        for s in [*in_stage["semi"], *in_stage["quarter"]]
        if s not in (win.slug, lose.slug)
    ]
    well_known = "easy" if comp == "champions-league" else "medium"
    if len(contenders) >= 3:
        pool = [lose, *contenders[:2]]
        yield Draft(
            id=stable_id("final-winner", comp, season),
            asks=(comp, season, "winner"),
            question=f"Who won the {comp_en} final in {season}?",
            answer=win.name,
            aliases=club_aliases(win),
            choices=[c.name for c in pool],
            category=CATEGORY[comp],
            difficulty=well_known,
            source=record_source(f),
            competition=comp,
            clubs=[win.slug, lose.slug],
            question_it=f"Chi ha vinto la finale di {comp_it} {season}?",
            answer_it=win.italian_name,
            choices_it=[c.italian_name for c in pool],
        )
        pool = contenders[:3]
        yield Draft(
            id=stable_id("final-loser", comp, season),
            asks=(comp, season, "runner-up"),
            question=f"Which club did {win.name} beat in the {comp_en} final in {season}?",
            answer=lose.name,
            aliases=club_aliases(lose),
            choices=[c.name for c in pool],
            category=CATEGORY[comp],
            difficulty="medium",
            source=record_source(f),
            competition=comp,
            clubs=[win.slug, lose.slug],
            question_it=f"Contro quale squadra {club_it(win.italian_name, win.slug)} ha vinto la finale "
            f"di {comp_it} {season}?",
            answer_it=lose.italian_name,
            choices_it=[c.italian_name for c in pool],
        )
    d = _score_draft(
        records, f, f"{comp_en} {season} final", f"Finale di {comp_it} {season}", "medium", "final-score"
    )
    if d:
        yield d


def nations(records: Records) -> Iterator[Draft]:
    """World Cups and Euros: winners, finals (score, city, first scorers), knockouts, every score."""
    for comp in NATIONAL:
        for season in records.seasons(comp):
            games = records.by_competition[(comp, season)]
            label, label_it, label_di = tournament(comp, season)
            finals = [m for m in games if stage(m.round) == "final" and m.played and m.winner]
            if finals:
                yield from _nation_final(records, comp, season, games, finals[-1])  # a replay comes last
            for m in games:
                st = stage(m.round)
                if not st or st == "final" or not m.played or not m.winner or not m.loser:
                    continue
                field = sorted(
                    {n for x in games if stage(x.round) == st for n in (x.home, x.away)} - {m.home, m.away}
                )
                if len(field) < 2:
                    continue
                stage_en, stage_it = STAGES[st]
                yield _nation_q(
                    comp,
                    season,
                    ("ko", st, m.home, m.away, m.date),
                    f"Who won the {stage_en} between {m.home} and {m.away} at {label}?",
                    f"Chi ha vinto la sfida tra {nation_it(m.home)} e {nation_it(m.away)} "
                    f"{stage_it} {label_di}?",
                    m.winner,
                    [m.loser, *field[:2]],
                    "medium" if "Italy" in (m.home, m.away) else "hard",
                    m,
                )
            title = label[4:] if label.startswith("the ") else label
            for m in games:
                if stage(m.round) == "final" or not m.played:
                    continue
                italy = "Italy" in (m.home, m.away)
                d = _score_draft(
                    records,
                    m,
                    f"{title[0].upper()}{title[1:]}, {m.round or 'match'}",
                    f"{label_it.split(' ', 1)[1]}, {_round_it(m.round or 'match')}",
                    "medium" if italy and stage(m.round) else "hard",
                    "nt-score",
                )
                if d:
                    yield d


def _nation_final(
    records: Records, comp: str, season: str, games: list[Match], final: Match
) -> Iterator[Draft]:
    label, label_it, label_di = tournament(comp, season)
    win, lose = final.winner, final.loser
    assert win and lose
    semis = sorted({n for m in games if stage(m.round) == "semi" for n in (m.home, m.away)} - {win, lose})
    if len(semis) >= 2:
        yield _nation_q(
            comp,
            season,
            ("winner",),
            f"Who won {label}?",
            f"Chi ha vinto {label_it}?",
            win,
            [lose, *semis[:2]],
            "easy",
            final,
        )
        yield _nation_q(
            comp,
            season,
            ("runner-up",),
            f"Who lost the final of {label}?",
            f"Chi ha perso la finale {label_di}?",
            lose,
            [win, *semis[:2]],
            "medium",
            final,
        )
    title = label[4:] if label.startswith("the ") else label
    d = _score_draft(
        records,
        final,
        f"{title[0].upper()}{title[1:]}, final",
        f"Finale {label_di}",
        "medium",
        "nt-final-score",
    )
    if d:
        yield d
    city = final.city
    others = sorted({m.city for m in games if m.city and city_it(m.city) and m.city != city})
    if city and city_it(city) and len(others) >= 3:
        yield Draft(
            id=stable_id("nt-final-city", comp, season),
            asks=(comp, season, "final-city"),
            question=f"In which city was the final of {label} played?",
            answer=city,
            choices=others[:3],
            category=CATEGORY[comp],
            difficulty="medium",
            source=record_source(final),
            competition=comp,
            clubs=[],
            question_it=f"In quale città si è giocata la finale {label_di}?",
            answer_it=city_it(city) or city,
            choices_it=[city_it(c) or c for c in others[:3]],
        )
    for side, team in (("home", final.home), ("away", final.away)):
        mine = [g for g in final.goals if g.side == side]
        if not mine or mine[0].own_goal:
            continue
        first = mine[0].player
        squad = sorted(
            {
                g.player
                for m in games
                for g in m.goals
                if not g.own_goal
                and g.player != first
                and ((g.side == "home" and m.home == team) or (g.side == "away" and m.away == team))
            }
        )
        if len(squad) < 3:
            continue
        goals = ", ".join(f"{g.player} {g.minute}'" for g in final.goals)
        yield Draft(
            id=stable_id("nt-final-first-goal", comp, season, team),
            asks=(comp, season, "final-first-goal", team),
            question=f"Who scored {possessive(team)} first goal in the final of {label}?",
            answer=first,
            choices=squad[:3],
            category=CATEGORY[comp],
            difficulty="medium" if team == "Italy" else "hard",
            source=f"{record_source(final)}; goals: {goals}",
            competition=comp,
            clubs=[],
            question_it=f"Chi ha segnato il primo gol {nation_it_art(nation_it(team), 'di')} "
            f"nella finale {label_di}?",
            answer_it=first,
            choices_it=squad[:3],
        )


def _round_it(name: str) -> str:
    st = stage(name)
    if st:
        return {
            "final": "finale",
            "third": "finale per il terzo posto",
            "semi": "semifinale",
            "quarter": "quarti di finale",
            "r16": "ottavi di finale",
            "r32": "sedicesimi di finale",
            "playoff": "spareggi",
        }[st]
    return (
        name.replace("Group", "Girone")
        .replace("Matchday", "Giornata")
        .replace("First round", "Primo turno")
        .replace("Preliminary round", "Turno preliminare")
        .replace("Replays", "ripetizioni")
        .replace("Final Round", "Girone finale")
        .replace("Second round", "Secondo turno")
    )


def _nation_q(
    comp: str,
    season: str,
    tag: tuple,
    q_en: str,
    q_it: str,
    answer: str,
    wrong: list[str],
    difficulty: str,
    m: Match,
) -> Draft:
    return Draft(
        id=stable_id(f"nt-{tag[0]}", comp, season, *tag),
        asks=(comp, season, *tag),
        question=q_en,
        answer=answer,
        aliases=[nation_it(answer)],
        choices=list(wrong),
        category=CATEGORY[comp],
        difficulty=difficulty,
        source=record_source(m),
        competition=comp,
        clubs=[],
        question_it=q_it,
        answer_it=nation_it(answer),
        choices_it=[nation_it(w) for w in wrong],
    )


TEMPLATES: dict[str, Callable[[Records], Iterator[Draft]]] = {
    "serie-a-tables": serie_a_tables,
    "serie-a-runs": serie_a_runs,
    "serie-a-biggest-wins": serie_a_biggest_wins,
    "serie-a-matches": serie_a_matches,
    "club-cups": club_cups,
    "nations": nations,
}


def generate_questions(records: Records) -> dict[str, list[Draft]]:
    """Drafts per template, each asking something no other draft asks (first one wins), valid choices."""
    seen_asks: set[tuple] = set()
    seen_text: set[str] = set()
    out: dict[str, list[Draft]] = {}
    for name, template in TEMPLATES.items():
        kept = []
        for d in template(records):
            if d.asks in seen_asks or key(d.question) in seen_text or not _choices_ok(d):
                continue
            seen_asks.add(d.asks)
            seen_text.add(key(d.question))
            kept.append(d)
        out[name] = kept
    return out


def _choices_ok(d: Draft) -> bool:
    """Three wrong choices, none equal to the answer or to an accepted alias."""
    accepted = {key(d.answer), *(key(a) for a in d.aliases)}
    return (
        len(d.choices) == 3
        and len({key(c) for c in d.choices}) == 3
        and not accepted & {key(c) for c in d.choices}
    )
