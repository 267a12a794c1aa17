"""Names as a careful reader reads a byline: one small grammar driven by language data.

``scoring/lang/<code>/people.json`` gives, per language, connectors ("and", "et", "und", "y"), name particles,
words that end a name (job titles, dates' words, page furniture), organisation words, contributor roles and
health professions; ``calendar.json`` gives month and weekday words (a month word ends a name unless another
name word follows it: "Laura June Topolsky", "April Fulton"). Honorifics and credentials come from the one
table, ``data/credentials.json``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from scoring import langdata
from scoring.facts.people.credentials import NON_HEALTH_CREDENTIALS, SOCIAL_TITLES, canonical, honorific

__all__ = ["CJK", "PROFESSIONS", "credentials_in", "is_health_credential", "looks_like_person", "parse_people",
           "parse_person", "person_key"]


def _words(key: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in langdata.words("people", key))


# Health professions named after a name ("Marie Dupont, pharmacienne") count as credentials.
PROFESSIONS: dict[str, str] = langdata.mapping("people", "professions")
_PARTICLES = _words("particles")
_STOP_WORDS = _words("name_stop_words")
_ORG_WORDS = _words("org_words")
_CONNECTORS = _words("connectors")
_ROLES = _words("contributor_roles")
# "Martin Roe (avec Damien Leloup et Morgane Tual)": co-authors named in parentheses after the first
_COAUTHOR_WORDS = sorted(_words("coauthor_words"), key=len, reverse=True)
_COAUTHORS = re.compile(r"\s*\(\s*(?:" + "|".join(map(re.escape, _COAUTHOR_WORDS)) + r")\s+([^()]+)\)", re.I)
# job titles glued to a CJK name ("山田太郎記者"), longest first: cut off, they end the name
_GLUED_SUFFIXES = tuple(sorted(langdata.words("people", "glued_job_suffixes"), key=len, reverse=True))
_CALENDAR_WORDS = frozenset(w for key in ("months", "weekdays") for w in langdata.mapping("calendar", key))
_SOCIAL = frozenset(t.casefold() for t in SOCIAL_TITLES)

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_NAME_TOKEN = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſ\u0400-\u042f\u0391-\u03a9][\w'’.-]*|[A-Z]\.(?:[A-Z]\.)*", re.U)
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.I)
_CRED_SHAPE = re.compile(r"[A-Z][A-Z/-]{1,5}")
_SEPARATORS = re.compile(r"\s*(?:\||\s/\s|•|·|–|—|\s-\s|\n|\s{3,})\s*")  # not "/" inside "OTR/L"
_LABEL_COLON = re.compile(r"\s+[^\s:]+\s?:(?:\s|$)")  # "Experts: ..." starts another field
_COMMAS = re.compile(r"\s*[,;]\s*")
# connectors in lower case only: "Jane E Doe" is one person
_CONNECTOR_SPLIT = re.compile(
    r"\s+(?:" + "|".join(re.escape(c) for c in sorted(_CONNECTORS, key=len, reverse=True)) + r")\s+")

_LEADING_CONNECTOR = re.compile(
    r"^(?:" + "|".join(re.escape(c) for c in sorted(_CONNECTORS, key=len, reverse=True)) + r")\s+(?=\S)")
# an elided particle glued to the name ("d'Aubigny", "dell'Orto"): the particles that end in an apostrophe
_ELIDED = tuple(p for p in _PARTICLES if p.endswith(("'", "’")))
# words of a doctor's title after the honorific ("Dr. med. Katrin Roe", "Dr. rer. nat.")
_TITLE_QUALIFIERS = _words("honorific_qualifiers")

_PARENS = re.compile(r"\s*\(([^()]*)\)")
_WHITESPACE = re.compile(r"\s+")
_KEY_SEPARATORS = re.compile(r"[\s.\-’']+")
_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
MAX_NAME_TOKENS = 6
MAX_BYLINE_TEXT = 500  # characters read of a byline or meta value: a longer list of names is no byline


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def person_key(name: str) -> str:
    """Identity of a name for de-duplication: case, accents, dots and middle initials ignored."""
    tokens = [t for t in _KEY_SEPARATORS.split(_strip_accents(name).casefold()) if t]
    tokens = [t for t in tokens if len(t) > 1 or t == tokens[-1]]
    if len(tokens) >= 2:
        return f"{tokens[0]} {tokens[-1]}"
    return " ".join(tokens)


# ---------------------------------------------------------------- the name grammar

def _list_pieces(text: str) -> Iterator[str]:
    """The pieces of a list of names: split at commas, and at "and"/"et"/"und"/"y" only where what comes
    before it is a whole name ("Dana Fox and Eve Hart"), not a job title's words ("Health and Science Editor")."""
    for part in _COMMAS.split(text):
        part = _LEADING_CONNECTOR.sub("", part)  # "Jane Roe, PhD, and John Doe": the serial comma's "and"
        pieces = _CONNECTOR_SPLIT.split(part)
        if len(pieces) > 1:
            head = pieces[0].split()
            name, _, used = _read_name(head)
            if used < len(head) or len(name) < 2 and not CJK.search(pieces[0]):
                pieces = [part]
        yield from pieces


def _credential_token(token: str, in_name: bool) -> str | None:
    """The canonical credential a token is, if it is one. Inside a name ("Jane Roe MD") only in capitals or
    dotted, since short credentials are also names ("Md", "Do")."""
    bare = token.strip("*(),;")
    canon = canonical(bare)
    if canon is None:
        return None
    mixed_case = canon not in (canon.upper(), canon.title())  # "PhD", "PharmD": never a name
    if in_name and not ((bare.isupper() and len(bare) > 1) or "." in bare or (mixed_case and bare == canon)):
        return None
    return canon


def credentials_in(part: str) -> list[str]:
    """Credentials of a piece after a comma ("MD, PhD", "pharmacienne", "MS MPA RDN"), or [] when it is not."""
    part = part.strip(" .*")
    profession = PROFESSIONS.get(part.casefold())
    if profession:
        return [profession]
    found, known = [], False
    for token in re.split(r"[\s,]+", part):
        token = token.strip("*()")
        canon = canonical(token)
        if canon:
            known = True
        elif not _CRED_SHAPE.fullmatch(token):
            return []
        found.append(canon or token)
    return found if known else []  # unknown capitals count only beside a known credential


def _is_name_token(token: str) -> bool:
    return bool(_NAME_TOKEN.fullmatch(token) or token.casefold() in _PARTICLES or CJK.match(token)) or \
        _elided_name(token)


def _elided_name(token: str) -> bool:
    """A name with its elided particle glued on: "d'Aubigny-Vallat"."""
    elided = next((p for p in _ELIDED if token.casefold().startswith(p)), None)
    return elided is not None and bool(_NAME_TOKEN.fullmatch(token[len(elided):]))


def _read_name(tokens: list[str]) -> tuple[list[str], list[str], int]:
    """(name tokens, credentials, tokens consumed) from the start of a piece: "Laura June Topolsky" keeps
    its middle name, "Joe Wee Monday" loses its weekday, "Jane Roe Staff Writer" its job title."""
    name: list[str] = []
    credentials: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index].strip("*")
        folded = token.strip(".").casefold()
        if not name and (honorific(token) or folded in _SOCIAL):
            canon = honorific(token)
            if canon and canon not in credentials:
                credentials.append(canon)
            index += 1
            continue
        if not name and credentials and folded in _TITLE_QUALIFIERS and token[:1].islower():
            index += 1  # "Dr. med.": the title goes on
            continue
        if not name and folded in _PARTICLES and token[:1].islower() and index + 1 < len(tokens):
            index += 1  # "par le Dr Jeanne Roux": an article before the name
            continue
        if any(ch.isdigit() for ch in token) or token.endswith(":"):
            break
        if name:
            canon = _credential_token(token, in_name=True)
            if canon:
                credentials.append(canon)
                index += 1
                continue
        if folded in _CALENDAR_WORDS:
            # a month or weekday word is a name only before another name word ("Laura June Topolsky", "April
            # Fulton"), not before a number or at the end ("Joe Wee Monday")
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if not (_NAME_TOKEN.fullmatch(following) and following.strip(".").casefold()
                    not in _CALENDAR_WORDS and not any(ch.isdigit() for ch in following)):
                break
        elif folded in _STOP_WORDS and not (name and folded in _PARTICLES and index + 1 < len(tokens)):
            break
        elif name and folded in _ORG_WORDS:
            break  # "Jane Roe Seattle Health News": the outlet after the name
        inner = token.strip("()")
        if not _is_name_token(inner) or (inner != token and not inner[:1].isupper()):
            break
        glued = next((s for s in _GLUED_SUFFIXES if token.endswith(s) and len(token) - len(s) >= 2), None)
        if glued and CJK.match(token):
            name.append(token[:-len(glued)])
            index += 1
            break
        name.append(token)  # "Bruno (Henrique Zecchin) Rodrigues" keeps its brackets
        index += 1
    while name and name[-1].casefold() in _PARTICLES:
        name.pop()
    while name and name[0].casefold() in _PARTICLES and not name[0][:1].isupper():
        name.pop(0)  # "von der Kandidatur": a name starts with a capital ("Ursula von der Leyen")
    return name, credentials, index


def _opens_date(token: str) -> bool:
    """Whether a token opens a date ("March 14, 2024", "14.03.2024") written after a name."""
    return token[:1].isdigit() or token.strip(".,").casefold() in _CALENDAR_WORDS


def _tidy(name: str) -> str:
    name = name.strip(" .,;:*")
    if name.isupper() and len(name) > 3 and not CJK.search(name):
        name = name.title()
    return name


def _organisation(piece: str) -> str | None:
    """The piece as an organisation byline ("Mayo Clinic staff", "Ask the Doctors", "sudinfo.be"), or None."""
    piece = piece.strip(" .,;:")
    if _DOMAIN.fullmatch(piece):
        return piece
    tokens = piece.split()
    if not tokens or len(tokens) > 8 or any(ch.isdigit() for ch in piece):
        return None
    if not any(t.casefold().strip(".") in _ORG_WORDS for t in tokens):
        return None
    lead = next((i for i, t in enumerate(tokens) if not (t.islower() and t in _PARTICLES)), len(tokens))
    if lead < len(tokens) and tokens[lead].casefold() in _ORG_WORDS and \
            all(t.islower() or t.casefold() in _ORG_WORDS for t in tokens[lead + 1:]):
        # opening with an organisation word, in sentence case ("la Direction des maladies infectieuses"); not
        # when a name follows ("Health Press writer Jane Roe")
        return " ".join(tokens[lead:])
    # a title: every word capitalised, an organisation word, a particle or a short joiner ("of", "the")
    for token in tokens:
        folded = token.casefold()
        if not (token[0].isupper() or folded in _ORG_WORDS or folded in _PARTICLES or len(token) <= 3):
            return None
    return piece


def _person(name: list[str], credentials: list[str]) -> dict[str, Any] | None:
    half = len(name) // 2
    if len(name) % 2 == 0 and half and name[:half] == name[half:]:
        name = name[:half]  # "Stella Kim Stella Kim": a name shown twice (a photo's caption, then the text)
    text = _tidy(" ".join(name))
    letters = sum(map(str.isalpha, text))
    if not name or len(name) > MAX_NAME_TOKENS or letters < (2 if CJK.search(text) else 3):
        return None
    return {"name": text, "credentials": credentials, "type": "Person"}


_SENTENCE_END = re.compile(r"([^\W\d_]+)\.\s+(?=[A-ZÀ-ÖØ-Þ])")


def _first_sentence(text: str) -> str:
    """The byline up to the end of its first sentence: "Par Claire Dubois. Relu par..." names one author.
    A period after an initial ("J. Flett"), a short abbreviation ("Jr.") or an honorific ("Prof. Roe") goes on."""
    for match in _SENTENCE_END.finditer(text):
        word = match.group(1)
        if len(word) >= 3 and word[-1].islower() and honorific(word) is None and word.casefold() not in _SOCIAL \
                and word.casefold() not in _TITLE_QUALIFIERS:
            return text[:match.start(1) + len(word)]
    return text


def parse_people(text: str, *, last_first: bool = False) -> list[dict[str, Any]]:
    """Every person (or organisation) a byline's text names, in order: "A, B, C, D and E"; "Jane Roe, MD,
    PhD and John Doe, RN"; "P Giacobbi, Jr., Z Reis, J Flett"; "Mayo Clinic staff". Credentials and
    professions after a name go to it; a job title, a date or another field ends the list."""
    text = _SEPARATORS.split(text[:MAX_BYLINE_TEXT].strip(" \t\r\n:,;-–—*"), maxsplit=1)[0]
    text = _WHITESPACE.sub(" ", text).strip(" :,;-–—*")
    text = _LABEL_COLON.split(text, maxsplit=1)[0]
    text = _first_sentence(text)
    text = _COAUTHORS.sub(r", \1", text)
    if last_first:
        family, comma, given = text.partition(",")
        if comma and given.strip() and len(family.split()) <= 2 and not credentials_in(given):
            text = f"{given.strip()} {family.strip()}"
    people: list[dict[str, Any]] = []
    for piece in _list_pieces(text):
        piece = piece.strip()
        if not piece:
            continue
        roles = [m.group(1) for m in _PARENS.finditer(piece)]
        if any(r.strip().casefold() in _ROLES for r in roles):
            continue  # "(photography)": a contributor, not an author
        if roles and not _PARENS.sub("", piece).strip():
            continue
        bare = _PARENS.sub("", piece) if roles and piece.rstrip().endswith(")") else piece
        if people and (credentials := credentials_in(bare)):
            people[-1]["credentials"].extend(c for c in credentials if c not in people[-1]["credentials"])
            continue
        tokens = bare.split()
        if people and tokens and _credential_token(tokens[0], in_name=True):
            # "Brenda Goodman, MA WebMD Health News": the credential, then the outlet ends the list
            for token in tokens:
                canon = _credential_token(token, in_name=True)
                if canon is None:
                    break
                if canon not in people[-1]["credentials"]:
                    people[-1]["credentials"].append(canon)
            break
        if bare.casefold().strip() in _NAME_SUFFIXES:
            continue
        org = None if people else _organisation(bare)  # after a person: a job title ("Staff Writer")
        if org:
            people.append({"name": org, "credentials": [], "type": "Organization"})
            continue
        tokens = bare.split()
        name, credentials, used = _read_name(tokens)
        person = _person(name, credentials)
        if person is None:
            if people and bare[:1].isupper() and not any(ch.isdigit() for ch in bare):
                continue  # a job title's words ("Health and Science Editor"): the list may go on
            break
        if people and used < len(tokens) and not _opens_date(tokens[used]):
            break  # "..., Harvard Women's Health Watch", "..., Mykolo Romerio universiteto": an affiliation ends it
        if people and len(name) < 2 and not CJK.search(person["name"]):
            continue  # one capitalised word inside a list is a title's, not a person's
        people.append(person)
        if used < len(tokens):
            break  # something else follows the name: the list ends here
    return people


def parse_person(text: str) -> dict[str, Any] | None:
    """Split "Dr. Jane Roe, MD, PhD - Staff Writer" into a clean name and its credentials (the first person)."""
    people = parse_people(text)
    for person in people:
        if person["type"] == "Person":
            return {"name": person["name"], "credentials": person["credentials"]}
    return None


def is_health_credential(credential: str) -> bool:
    return credential not in NON_HEALTH_CREDENTIALS


def looks_like_person(name: str, strict: bool = False) -> bool:
    if "@" in name or "http" in name or _organisation(name):
        return False
    tokens = name.split()
    if strict and len(tokens) < 2 and not CJK.search(name):
        return False
    return all(t.lstrip("(")[:1].isupper() or t.casefold() in _PARTICLES or CJK.match(t) or _elided_name(t)
               for t in tokens if t)
