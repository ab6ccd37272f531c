"""Names and phrases in English and Italian for generated questions and facts."""

from __future__ import annotations

import datetime as dt
import functools
import re

MONTHS_EN = "January February March April May June July August September October November December".split()
MONTHS_IT = (
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split()
)


def date_en(day: dt.date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def date_it(day: dt.date) -> str:
    return f"{'1º' if day.day == 1 else day.day} {MONTHS_IT[day.month - 1]} {day.year}"


def ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


ORDINAL_WORDS_EN = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
ORDINAL_WORDS_IT = "primo secondo terzo quarto quinto sesto settimo ottavo nono decimo".split()
ORDINAL_F_IT = "prima seconda terza quarta quinta sesta settima ottava nona decima".split()


def ordinal_word_en(n: int) -> str:
    return ORDINAL_WORDS_EN[n - 1] if 1 <= n <= 10 else ordinal_en(n)


def ordinal_it(n: int) -> str:
    return f"{n}º"


def ordinal_word_it(n: int, feminine: bool = False) -> str:
    words = ORDINAL_F_IT if feminine else ORDINAL_WORDS_IT
    return words[n - 1] if 1 <= n <= 10 else f"{n}{'ª' if feminine else 'º'}"


NATIONS_IT = {
    "Italy": "Italia",
    "France": "Francia",
    "Germany": "Germania",
    "West Germany": "Germania Ovest",
    "East Germany": "Germania Est",
    "Spain": "Spagna",
    "England": "Inghilterra",
    "Netherlands": "Paesi Bassi",
    "Brazil": "Brasile",
    "Argentina": "Argentina",
    "Uruguay": "Uruguay",
    "Portugal": "Portogallo",
    "Belgium": "Belgio",
    "Croatia": "Croazia",
    "Denmark": "Danimarca",
    "Sweden": "Svezia",
    "Norway": "Norvegia",
    "Switzerland": "Svizzera",
    "Austria": "Austria",
    "Hungary": "Ungheria",
    "Czechoslovakia": "Cecoslovacchia",
    "Czech Republic": "Repubblica Ceca",
    "Soviet Union": "Unione Sovietica",
    "Russia": "Russia",
    "Yugoslavia": "Jugoslavia",
    "Poland": "Polonia",
    "Romania": "Romania",
    "Bulgaria": "Bulgaria",
    "Greece": "Grecia",
    "Turkey": "Turchia",
    "Scotland": "Scozia",
    "Wales": "Galles",
    "Northern Ireland": "Irlanda del Nord",
    "Republic of Ireland": "Irlanda",
    "Ireland": "Irlanda",
    "Mexico": "Messico",
    "USA": "Stati Uniti",
    "United States": "Stati Uniti",
    "Chile": "Cile",
    "Peru": "Perù",
    "Paraguay": "Paraguay",
    "Colombia": "Colombia",
    "Ecuador": "Ecuador",
    "Cameroon": "Camerun",
    "Nigeria": "Nigeria",
    "Ghana": "Ghana",
    "Senegal": "Senegal",
    "Morocco": "Marocco",
    "Tunisia": "Tunisia",
    "Egypt": "Egitto",
    "Algeria": "Algeria",
    "South Africa": "Sudafrica",
    "Ivory Coast": "Costa d'Avorio",
    "Japan": "Giappone",
    "South Korea": "Corea del Sud",
    "Korea Republic": "Corea del Sud",
    "North Korea": "Corea del Nord",
    "Australia": "Australia",
    "New Zealand": "Nuova Zelanda",
    "Saudi Arabia": "Arabia Saudita",
    "Iran": "Iran",
    "Qatar": "Qatar",
    "Costa Rica": "Costa Rica",
    "Ukraine": "Ucraina",
    "Slovakia": "Slovacchia",
    "Slovenia": "Slovenia",
    "Serbia": "Serbia",
    "Iceland": "Islanda",
    "Albania": "Albania",
    "Finland": "Finlandia",
    "Georgia": "Georgia",
    "CIS": "CSI",
    "Canada": "Canada",
    "Bolivia": "Bolivia",
    "Cuba": "Cuba",
    "Haiti": "Haiti",
    "Israel": "Israele",
    "Zaire": "Zaire",
    "Dutch East Indies": "Indie orientali olandesi",
    "Bosnia & Herzegovina": "Bosnia ed Erzegovina",
    "Bosnia-Herzegovina": "Bosnia ed Erzegovina",
    "North Macedonia": "Macedonia del Nord",
    "Jamaica": "Giamaica",
    "Honduras": "Honduras",
    "Panama": "Panama",
    "Venezuela": "Venezuela",
    "Iraq": "Iraq",
    "Kuwait": "Kuwait",
    "China": "Cina",
    "China PR": "Cina",
    "Trinidad and Tobago": "Trinidad e Tobago",
    "Angola": "Angola",
    "Togo": "Togo",
    "El Salvador": "El Salvador",
    "Latvia": "Lettonia",
    "Uzbekistan": "Uzbekistan",
    "Jordan": "Giordania",
    "Cape Verde": "Capo Verde",
    "Curaçao": "Curaçao",
    "DR Congo": "RD del Congo",
    "New Caledonia": "Nuova Caledonia",
}

CITIES_IT = {
    "Berlin": "Berlino",
    "Munich": "Monaco di Baviera",
    "München": "Monaco di Baviera",
    "Rome": "Roma",
    "Milan": "Milano",
    "Turin": "Torino",
    "Naples": "Napoli",
    "Florence": "Firenze",
    "Genoa": "Genova",
    "Bologna": "Bologna",
    "Bari": "Bari",
    "Verona": "Verona",
    "Udine": "Udine",
    "Palermo": "Palermo",
    "Cagliari": "Cagliari",
    "Trieste": "Trieste",
    "London": "Londra",
    "Paris": "Parigi",
    "Saint-Denis": "Saint-Denis",
    "Madrid": "Madrid",
    "Barcelona": "Barcellona",
    "Seville": "Siviglia",
    "Lisbon": "Lisbona",
    "Porto": "Porto",
    "Brussels": "Bruxelles",
    "Bruxelles": "Bruxelles",
    "Amsterdam": "Amsterdam",
    "Rotterdam": "Rotterdam",
    "Vienna": "Vienna",
    "Wien": "Vienna",
    "Stockholm": "Stoccolma",
    "Solna": "Solna",
    "Gothenburg": "Göteborg",
    "Göteborg": "Göteborg",
    "Copenhagen": "Copenaghen",
    "Moscow": "Mosca",
    "Saint Petersburg": "San Pietroburgo",
    "St. Petersburg": "San Pietroburgo",
    "Kyiv": "Kiev",
    "Warsaw": "Varsavia",
    "Warszawa": "Varsavia",
    "Gelsenkirchen": "Gelsenkirchen",
    "Dortmund": "Dortmund",
    "Hamburg": "Amburgo",
    "Frankfurt": "Francoforte",
    "Stuttgart": "Stoccarda",
    "Köln": "Colonia",
    "Leipzig": "Lipsia",
    "Marseille": "Marsiglia",
    "Lyon": "Lione",
    "Bordeaux": "Bordeaux",
    "Montevideo": "Montevideo",
    "Buenos Aires": "Buenos Aires",
    "Rio de Janeiro": "Rio de Janeiro",
    "São Paulo": "San Paolo",
    "Santiago": "Santiago del Cile",
    "Mexico City": "Città del Messico",
    "Pasadena": "Pasadena",
    "Yokohama": "Yokohama",
    "Johannesburg": "Johannesburg",
    "Lusail": "Lusail",
    "Geneva": "Ginevra",
    "Bern": "Berna",
    "Basel": "Basilea",
    "Zürich": "Zurigo",
    "Budapest": "Budapest",
    "Bucharest": "Bucarest",
    "Glasgow": "Glasgow",
    "Manchester": "Manchester",
    "Liverpool": "Liverpool",
    "Dublin": "Dublino",
    "Baku": "Baku",
    "Kaiserslautern": "Kaiserslautern",
    "East Rutherford": "East Rutherford",
    "Valencia": "Valencia",
    "Málaga": "Malaga",
    "Bilbao": "Bilbao",
}


def nation_it(name: str) -> str:
    return NATIONS_IT.get(name, name)


def city_it(name: str) -> str | None:
    """The Italian name of a known city, or None for a place the table does not list."""
    return CITIES_IT.get(name)


# Rounds by stage: the English name, and the Italian "in the …" phrase.
STAGES = {
    "final": ("final", "in finale"),
    "third": ("third-place match", "nella finale per il terzo posto"),
    "semi": ("semi-final", "in semifinale"),
    "quarter": ("quarter-final", "nei quarti di finale"),
    "r16": ("round of 16", "negli ottavi di finale"),
    "r32": ("round of 32", "nei sedicesimi di finale"),
    "playoff": ("knockout play-off", "negli spareggi"),
}


@functools.lru_cache(maxsize=1024)
def stage(round_name: str) -> str | None:
    """The knockout stage a record's round names, or None for groups, league phases and early rounds."""
    name = round_name.casefold().replace("-", " ")
    name = re.sub(r"^finals,\s*", "", name)  # "Finals, Quarterfinals" (not "Final, Replay")
    if "replay" in name and not name.startswith("final"):
        return None
    if name.startswith("final") or name == "final round":
        return "final" if "round" not in name else None
    if "third" in name:
        return "third"
    if name.startswith("semi"):
        return "semi"
    if name.startswith("quarter"):
        return "quarter"
    if name in ("round of 16", "achtelfinale"):
        return "r16"
    if name in ("round of 32", "sechzehntelfinale"):
        return "r32"
    if name.startswith(("playoffs", "knockout round play offs", "knockout play offs")):
        return "playoff"
    return None


# Italian articles: clubs named after a feminine noun ("la Juventus", "l'Atalanta") and the rest.
_FEMININE_CLUBS = {
    "atalanta", "cremonese", "fiorentina", "inter", "juventus", "lazio", "roma", "salernitana",
    "sampdoria", "spal", "udinese", "triestina", "reggiana", "ternana", "sambenedettese", "carrarese",
}  # fmt: skip
_LO_CLUBS = {"spezia", "sporting", "sturm-graz", "shakhtar", "sparta-praha", "slavia-praha", "stoccarda"}
_MASCULINE_NATIONS_IN_A = {"Canada", "Ghana", "Panama", "Sudafrica", "Kenya"}
_PLURAL_NATIONS = {"Paesi Bassi": ("i", "dei"), "Stati Uniti": ("gli", "degli")}


def club_it(name_it: str, slug: str | None, prep: str = "") -> str:
    """An Italian club name with its article, optionally after 'di'/'a'/'da'/'in'/'su' merged in."""
    vowel = name_it[:1].lower() in "aeiou" or name_it.lower().startswith(("hellas", "h. "))
    if slug in _FEMININE_CLUBS:
        art = "l'" if vowel else "la "
    elif slug in _LO_CLUBS:
        art = "lo "
    else:
        art = "l'" if vowel else "il "
    return _with_prep(art, prep) + name_it


def nation_it_art(name_it: str, prep: str = "") -> str:
    """An Italian country name with its article: l'Italia, la Francia, il Brasile, i Paesi Bassi."""
    if name_it in _PLURAL_NATIONS:
        return (_PLURAL_NATIONS[name_it][1] if prep == "di" else _PLURAL_NATIONS[name_it][0]) + " " + name_it
    vowel = name_it[:1].lower() in "aeiou"
    first = name_it.split()[0]
    feminine = (first.endswith("a") or first == "Unione") and name_it not in _MASCULINE_NATIONS_IN_A
    art = "l'" if vowel else ("la " if feminine else "il ")
    return _with_prep(art, prep) + name_it


def _with_prep(art: str, prep: str) -> str:
    if not prep:
        return art
    merged = {
        ("di", "il "): "del ", ("di", "la "): "della ", ("di", "l'"): "dell'", ("di", "lo "): "dello ",
        ("a", "il "): "al ", ("a", "la "): "alla ", ("a", "l'"): "all'", ("a", "lo "): "allo ",
        ("da", "il "): "dal ", ("da", "la "): "dalla ", ("da", "l'"): "dall'", ("da", "lo "): "dallo ",
    }  # fmt: skip
    return merged[(prep, art)]


def tournament(comp: str, season: str) -> tuple[str, str, str]:
    """English label with its article, Italian label with its article, Italian label after 'di'.

    ('the 2006 World Cup', 'i Mondiali 2006', 'dei Mondiali 2006'); Euro 2020 was played in 2021."""
    if comp == "world-cup":
        return f"the {season} World Cup", f"i Mondiali {season}", f"dei Mondiali {season}"
    name = "2020" if season == "2021" else season
    played = " (played in 2021)" if season == "2021" else ""
    played_it = " (giocati nel 2021)" if season == "2021" else ""
    return f"Euro {name}{played}", f"gli Europei {name}{played_it}", f"degli Europei {name}{played_it}"


_THE = {
    "Netherlands",
    "Soviet Union",
    "Czech Republic",
    "USA",
    "United States",
    "Republic of Ireland",
    "Ivory Coast",
}


def the_nation(name: str) -> str:
    """A country's English name as it reads in a sentence: 'the Netherlands', 'Italy'."""
    return f"the {name}" if name in _THE else name


def possessive(name: str) -> str:
    """'Italy's', 'the Netherlands'', 'Wales''."""
    text = the_nation(name)
    return f"{text}'" if text.endswith("s") else f"{text}'s"


def score_it(h: int, a: int) -> str:
    """A score with its Italian article: 'lo 0-0', "l'1-1", 'il 2-2', "l'8-8"."""
    art = "lo " if h == 0 else "l'" if h in (1, 8, 11) else "il "
    return f"{art}{h}-{a}"
