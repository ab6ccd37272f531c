"""A parser for the Football.TXT match records of openfootball (https://github.com/openfootball).

A file is read line by line; every line is one of these kinds, and a line that is none of them is a
problem reported with its file and line number (`ParseResult.problems`):

- blank lines, `# comments` (also `## …` at the end of a line), the `= Title 2023/24` heading and
  `== Playoff` section headings;
- round headings `▪ Matchday 1`, `» Quarterfinals`, `▪ Final, Replay`, with an optional `| date range`;
- group listings `Group A | England  Netherlands …`;
- date lines: `Sat Aug 24 2013`, `Sat Sep 19`, `Wed Sep/14 2011`, `Thu Oct/5`, `Jun 7`, `July 6`,
  `16 June`; a date may also open a match line (`Fri Jun 9  Germany 4-2 (2-1) Costa Rica`), or come with
  a time and a venue (`June 14 20:00 @ Antwerpen, Bosuil`) for the match on the next line;
- match lines: an optional match number `(76)`, time `20:45`/`20.45` (`UTC+3`, `(17:00 UTC+4)`), then
  `Home v Away 2-1 (1-1)` or `Home 2-1 (1-1) Away`, with a score in any of these forms:
  `2-1`, `2-1 (1-1)`, `2-1 a.e.t.`, `1-3 a.e.t. (1-1, 0-1)`, `3-1 pen. 0-0 a.e.t. (0-0)`,
  `1-1 a.e.t. (1-1, 1-1), 5-3 pen.`, `2-2 a.e.t., 5-3 pen.`; an optional `@ Stadium, City`; and a status
  `[awarded]`, `[cancelled…]`, `[abandoned]` or `n/p` (not played);
- goal lines under a match: `(Materazzi 19'; Zidane 7' (pen.))`, home scorers before `;`, with
  `(pen.)`/`(p)`/`pen` and `(o.g.)`, several minutes per scorer (`Völler 30', 51'`), over several lines;
- line-ups, shoot-out lists and the like under a match (`Germany: Neuer - Kimmich, …`,
  `Penalties: 1-0 Masny, …`), read as detail and not used.

Year: a date without a year takes the last year seen (the season's first year at the start) and moves to
the next year when the month goes back (December → January).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.content.records.model import Goal, Match

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_WD = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Mo|Tu|We|Th|Fr|Sa|Su)"
_MON = r"(?:[A-Z][a-z]{2,8})"
DATE = (
    rf"(?:(?P<wd>{_WD})\.?\s+)?"
    rf"(?:(?P<mon1>{_MON})[ /](?P<day1>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+(?P<mon2>{_MON}))"
    r"(?:\s+(?P<year>\d{4}))?"
)
_ZONE = r"(?:UTC[+-]\d{1,2}|[A-Z]{3,4})"
TIME = rf"(?:\d{{1,2}}[:.]\d{{2}}(?:\s+UTC[+-]\d{{1,2}})?(?:\s+\(\d{{1,2}}[:.]\d{{2}}(?:\s+{_ZONE})?\))?)"
_S = r"\d+-\d+"
_TAIL = r"(?:\s*\((?P<aet2>aet,\s*)?(?P<pen3>\d+-\d+) pen\))"
SCORE = (
    rf"(?:(?P<penonly>{_S}) pen\.\s+\((?P<q1>{_S})(?:,\s*(?P<q2>{_S}))?\)"
    rf"|(?:(?P<pen1>{_S}) pen\.\s+)?(?P<ft>{_S})(?P<aet>\s+a\.e\.t\.?)?"
    rf"(?:,?\s*\((?P<p1>{_S})(?:,\s*(?P<p2>{_S}))?\))?(?:,\s*(?P<pen2>{_S})\s+pen\.)?{_TAIL}?)"
)
STATUS = r"\[(?P<status>awarded|cancelled|abandoned|annulled)[^\]]*\]"

_DATE_LINE = re.compile(rf"^\s*{DATE}\s*$")
_DATE_HEAD = re.compile(rf"^\s*{DATE}(?:\s+(?P<time>{TIME}))?(?:\s+@\s+(?P<venue>.+?))?\s*$")
_ROUND = re.compile(r"^\s*[▪»]\s*(?P<name>[^|]+?)\s*(?:\|.*)?$")
_GROUP_LIST = re.compile(r"^\s*Group\s+\w+\s*\|\s*\S.*$")
_MATCH_PREFIX = re.compile(
    rf"^\s*(?:\((?P<num>\d+)\)\s+)?(?:{DATE}(?=\s{{2,}}|\s+\d{{1,2}}[:.]\d{{2}}\s|\s+@\s)\s*)?"
    rf"(?:(?P<time>{TIME})\s+)?(?:@\s+(?P<venue0>\S[^@]*?)\s{{2,}})?(?P<rest>\S.*)$"
)
_V = re.compile(rf"^(?P<home>.+?)\s+v\s+(?P<away>.+?)(?:\s+{SCORE})?\s*$")
_MID = re.compile(rf"^(?P<home>.+?)\s+{SCORE}\s+(?P<away>\D.*?)\s*$")
_NP = re.compile(r"^(?P<home>.+?)\s+n/p\s+(?P<away>.+?)\s*$")
_TAG = r"(?:\s*\((?:pen\.?|p|o\.g\.|og)\)|\s?(?:pen|og|p)(?![a-z]))"
_GOAL = re.compile(
    rf"(?P<name>[^\d;,()]+?)\s*(?P<mins>(?:\d+(?:\+\d+)?'?{_TAG}?(?:\s*,\s*(?=\d)|\s+(?=\d))?)+)",
    re.IGNORECASE,
)
_MINUTE = re.compile(rf"(?P<m>\d+(?:\+\d+)?)'?(?P<tag>{_TAG})?", re.IGNORECASE)
_TAIL_END = re.compile(r"\s*\((?P<aet>aet,\s*)?(?P<pen>\d+-\d+) pen\)\s*$")
_SUDDEN_DEATH = re.compile(r"\s*\(aet/(?:gg|sg)\)\s*$")  # Euro 1996-2004: won by a golden / silver goal
_LINEUP = re.compile(r"^\s+[A-Z][\w .'&-]*:\s+\S")
_TITLE_YEARS = re.compile(r"(?P<y1>\d{4})(?:/(?P<y2>\d{2,4}))?")


@dataclass
class ParseResult:
    """The matches of one file and every line that could not be read."""

    matches: list[Match] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _score(m: re.Match[str]) -> dict[str, object]:
    def pair(text: str | None) -> tuple[int, int] | None:
        if not text:
            return None
        h, a = text.split("-")
        return int(h), int(a)

    if m.group("penonly"):  # `9-8 pen. (0-0)`: a shoot-out straight after 90 minutes
        return {
            "score": pair(m.group("q1")),
            "ht": pair(m.group("q2")),
            "penalties": pair(m.group("penonly")),
        }
    if not m.group("ft"):
        return {"score": None}
    aet = bool(m.group("aet") or m.group("aet2"))
    p1, p2 = pair(m.group("p1")), pair(m.group("p2"))
    ht = p2 if aet else p1  # after extra time the brackets give (90 minutes[, half time])
    return {
        "score": pair(m.group("ft")),
        "extra_time": aet,
        "ht": ht,
        "penalties": pair(m.group("pen1") or m.group("pen2") or m.group("pen3")),
    }


def parse_goals(text: str, home_goals: int | None = None, away_goals: int | None = None) -> list[Goal]:
    """Goals from the text inside a goal line's brackets: home scorers, `;`, away scorers."""
    parts = text.split(";")
    sides: list[str | None]
    if len(parts) == 2:
        sides = ["home", "away"]
    elif home_goals is not None and away_goals is not None and (home_goals == 0 or away_goals == 0):
        sides = ["home" if away_goals == 0 else "away"]
    else:
        sides = [None]
    goals: list[Goal] = []
    for part, side in zip(parts, sides, strict=False):
        for g in _GOAL.finditer(part):
            name = g.group("name").strip(" ,.")
            for minute in _MINUTE.finditer(g.group("mins")):
                tag = (minute.group("tag") or "").strip(" ()").rstrip(".").lower()
                goals.append(
                    Goal(
                        name,
                        minute.group("m"),
                        side,
                        penalty=tag in ("pen", "p"),
                        own_goal=tag in ("o.g", "og"),
                    )
                )
    return goals


def _goal_text_ok(text: str) -> bool:
    """The whole bracket text is names and minutes (nothing left over)."""
    rest = _GOAL.sub("", text)
    return not re.sub(r"[\s;,]", "", rest)


class _Reader:
    def __init__(self, path: str, competition: str, season: str) -> None:
        self.path = path
        self.competition = competition
        self.season = season
        self.result = ParseResult()
        self.round = ""
        y1, _, y2 = season.partition("-")
        self.years = [int(y1)] + ([int(y1[:2] + y2) if len(y2) == 2 else int(y2)] if y2 else [])
        self.date: dt.date | None = None
        self.pending_venue: str | None = None
        self.last: Match | None = None
        self.goal_buffer: str | None = None
        self.goal_line = 0
        self.detail = False  # inside a line-up / shoot-out block

    def problem(self, lineno: int, line: str, why: str) -> None:
        self.result.problems.append(f"{self.path}:{lineno}: {why}: {line.strip()[:120]}")

    def set_date(self, m: re.Match[str], lineno: int, line: str) -> bool:
        mon = (m.group("mon1") or m.group("mon2") or "").lower()
        if mon not in MONTHS:
            return False
        month, day = MONTHS[mon], int(m.group("day1") or m.group("day2"))
        wd = m.group("wd")
        year = int(m.group("year")) if m.group("year") else self.year_for(month, day, wd)
        try:
            self.date = dt.date(year, month, day)
        except ValueError:
            self.problem(lineno, line, "no such date")
            return True
        if wd and self.date.strftime("%a")[:2] != wd[:2]:
            self.problem(lineno, line, f"weekday does not match {self.date.isoformat()}")
        return True

    def year_for(self, month: int, day: int, weekday: str | None) -> int:
        """The season's year for a date written without one: the weekday decides when it can."""
        if len(self.years) == 1:
            return self.years[0]
        if weekday:
            fits = [y for y in self.years if (_weekday(y, month, day) or "")[:2] == weekday[:2]]
            if len(fits) == 1:
                return fits[0]
        return self.years[0] if month >= 7 else self.years[1]

    def flush_goals(self, lineno: int) -> None:
        if self.goal_buffer is None:
            return
        text, self.goal_buffer = self.goal_buffer, None
        inner = text.strip()[1:-1] if text.strip().endswith(")") else text.strip()[1:]
        if not _goal_text_ok(inner):
            self.problem(self.goal_line, text, "goal line not understood")
            return
        if self.last is not None:
            h, a = self.last.score or (None, None)
            self.last.goals = parse_goals(inner, h, a)

    def feed(self, lineno: int, raw: str) -> None:
        line = raw.rstrip()
        if self.goal_buffer is not None:
            self.goal_buffer += " " + line.strip()
            if _balanced(self.goal_buffer):
                self.flush_goals(lineno)
            return
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            self.detail = False if not stripped else self.detail
            return
        line = re.sub(r"\s+##?\s.*$", "", line)
        stripped = line.strip()
        if stripped.startswith("=="):  # a section such as `== Playoff` (Serie B promotion play-offs)
            self.round, self.last, self.detail = stripped.strip("= ").strip(), None, False
            return
        if stripped.startswith("="):
            self.title(stripped, lineno, line)
            return
        if m := _ROUND.match(line):
            self.round, self.last, self.detail = m.group("name").strip(), None, False
            return
        if _GROUP_LIST.match(line):
            return
        if stripped.startswith("(") and self.last is not None and not re.match(r"\(\d+\)\s", stripped):
            self.goal_buffer, self.goal_line = line, lineno
            if _balanced(line):
                self.flush_goals(lineno)
            return
        if m := _DATE_LINE.match(line):
            if self.set_date(m, lineno, line):
                self.detail = False
                return
        if self.last is not None and (_LINEUP.match(line) or stripped.lower().startswith("penalties:")):
            self.detail = True
            return
        if self.match(line, lineno):
            self.detail = False
            return
        if m := _DATE_HEAD.match(line):
            if self.set_date(m, lineno, line):
                self.pending_venue, self.detail = m.group("venue"), False
                return
        if self.detail and raw[:1].isspace():
            return  # continuation of a line-up or shoot-out list
        self.problem(lineno, line, "not a match, date, round or goal line")

    def title(self, text: str, lineno: int, line: str) -> None:
        if not _TITLE_YEARS.search(text.split("#")[0]):
            self.problem(lineno, line, "title without a year")

    def match(self, line: str, lineno: int) -> bool:
        pre = _MATCH_PREFIX.match(line)
        if not pre:
            return False
        rest = pre.group("rest")
        status = None
        if s := re.search(STATUS, rest):
            status = s.group("status")
            rest = (rest[: s.start()] + rest[s.end() :]).strip()
        venue = pre.group("venue0") or None
        if " @ " in f" {rest}":
            rest, _, venue = f" {rest}".rpartition(" @ ")
            rest, venue = rest.strip(), venue.strip()
        tail = _TAIL_END.search(rest)
        if tail:  # `England 0-0 Spain (aet, 4-2 pen)`
            rest = rest[: tail.start()].strip()
        sudden = _SUDDEN_DEATH.search(rest)
        if sudden:  # `France 2-1 Italy (aet/gg)`
            rest = rest[: sudden.start()].strip()
        m = _V.match(rest) or _MID.match(rest)
        fields: dict[str, object] = {}
        if m:
            fields = _score(m)
            if tail and fields.get("score") is not None:
                fields["penalties"] = tuple(int(x) for x in tail.group("pen").split("-"))
                fields["extra_time"] = bool(tail.group("aet")) or bool(fields.get("extra_time"))
            if sudden and fields.get("score") is not None:
                fields["extra_time"] = True
        elif n := _NP.match(rest):
            m, status = n, status or "not played"
            fields = {"score": None}
        else:
            return False
        home, away = m.group("home").strip(), m.group("away").strip()
        if not home or not away or re.search(r"\d+-\d+", home + " " + away):
            return False
        if pre.group("mon1") or pre.group("mon2"):
            if not self.set_date(pre, lineno, line):
                return False
        if fields.get("score") is None and status is None:
            status = "not played"
        self.last = Match(
            competition=self.competition,
            season=self.season,
            round=self.round,
            date=self.date,
            home=home,
            away=away,
            status=status,
            venue=venue or self.pending_venue,
            file=self.path,
            line=lineno,
            **fields,  # type: ignore[arg-type]
        )
        self.pending_venue = None
        self.result.matches.append(self.last)
        return True


def _weekday(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).strftime("%a")
    except ValueError:
        return None


def _balanced(text: str) -> bool:
    return text.count("(") <= text.count(")")


def parse_text(text: str, path: str, competition: str, season: str) -> ParseResult:
    """Parse one Football.TXT file's text; `path` names it in problems."""
    reader = _Reader(path, competition, season)
    for lineno, raw in enumerate(text.splitlines(), 1):
        reader.feed(lineno, raw)
    if reader.goal_buffer is not None:
        reader.problem(reader.goal_line, reader.goal_buffer, "goal line never closed")
    return reader.result
