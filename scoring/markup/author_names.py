"""An author's name as markup should give it: no byline words, honorifics or credentials inside it
(the Schema Markup Validator accepts any text; Google's author guidance does not)."""

from __future__ import annotations

import re
from functools import lru_cache

from scoring.facts.people.credentials import (
    AFTER_COMMA_ONLY,
    ALL_CREDENTIALS,
    HONORIFICS,
    SOCIAL_TITLES,
    UPPER_ONLY,
    dotted_form,
    written_forms,
)

_BYLINE_RE = re.compile(
    r"^\s*(?P<hit>(?:medically\s+|clinically\s+)?(?:written|posted|reviewed|fact[- ]checked|edited|"
    r"authored|published|verified|submitted)\s+by|by|par|(?:rédigé|rédigée|écrit|écrite|publié|publiée|"
    r"revu|revue|validé|validée|vérifié|vérifiée|signé|signée|mis\s+à\s+jour)\s+par|"
    r"relue?(?:\s+et\s+validée?)?\s+par)(?=[\s:]|$)|^\s*(?P<label>authors?|auteure?s?|autrices?|rédaction)\s*:",
    re.IGNORECASE,
)


def _alternation(forms) -> str:
    return "|".join(sorted(forms, key=len, reverse=True))


# Honorifics, credentials and their ambiguity classes come from the one table (scoring/data/credentials.json).
_HONORIFIC_RE = re.compile(
    rf"(?<![\w.])(?P<hit>{_alternation(map(re.escape, SOCIAL_TITLES))})(?:\.|(?![\w'’-]))"
    rf"|(?<![\w.])(?P<word>(?i:{_alternation(map(re.escape, HONORIFICS))}))(?:\.|(?![\w'’-]))",
)
_MONSIEUR_RE = re.compile(r"^\s*(?P<hit>M\.)\s")
# Credentials unambiguous in any case (with or without dots); the ambiguous ones only with a dot after each letter
_ANY_CASE_FORMS = _alternation(
    [written_forms(c) for c in ALL_CREDENTIALS if c not in UPPER_ONLY and c not in AFTER_COMMA_ONLY]
    + [dotted_form(c) for c in UPPER_ONLY | AFTER_COMMA_ONLY if sum(map(str.isalpha, c)) > 1])
_CREDENTIAL_RE = re.compile(rf"(?<![\w.])(?P<hit>{_ANY_CASE_FORMS})(?![\w-])", re.IGNORECASE)
# Short credentials that are also words, initials or surnames in capitals (French style
# "Anh DO", "Md" for Muhammad): upper case only, the most ambiguous only after a comma.
_CREDENTIAL_UPPER_RE = re.compile(rf"(?<![\w.])(?P<hit>{_alternation(map(re.escape, UPPER_ONLY))})(?![\w-])")
_CREDENTIAL_AFTER_COMMA_RE = re.compile(
    rf",\s*(?:[A-Za-z./\-]+\s*,\s*)*(?P<hit>{_alternation(map(re.escape, AFTER_COMMA_ONLY))})(?![\w-])"
)
_JOB_TITLE_RE = re.compile(
    r"(?<![\w])(?P<hit>"
    # French
    r"m[ée]decin(?:\s+g[ée]n[ée]raliste)?|pharmacien(?:ne)?|di[ée]t[ée]ticien(?:ne)?|nutritionniste|"
    r"infirmi[eè]re?|kin[ée]sith[ée]rapeute|sage-femme|psychologue|psychiatre|p[ée]diatre|"
    r"cardiologue|dermatologue|gyn[ée]cologue|endocrinologue|oncologue|neurologue|rhumatologue|"
    r"ophtalmologiste|ophtalmologue|gastro-ent[ée]rologue|chirurgien(?:ne)?(?:-dentiste)?|"
    r"g[ée]n[ée]raliste|ost[ée]opathe|orthophoniste|dentiste|sexologue|addictologue|allergologue|"
    r"[ée]pid[ée]miologiste|praticien(?:ne)?\s+hospitali(?:er|[eè]re)|chef\s+de\s+(?:service|clinique)|"
    r"journaliste(?:\s+sant[ée])?|r[ée]dacteur(?:\s+en\s+chef)?|r[ée]dactrice(?:\s+en\s+chef)?|"
    r"interne\s+en\s+m[ée]decine|"
    # English
    r"physician|pharmacist|dietitian|dietician|nutritionist|registered\s+nurse|nurse\s+practitioner|"
    r"(?-i:nurse)|midwife|internist|epidemiologist|family\s+physician|"
    r"surgeon|psychologist|psychiatrist|p(?:a)?ediatrician|cardiologist|dermatologist|oncologist|"
    r"neurologist|endocrinologist|gyn(?:a)?ecologist|obstetrician|radiologist|physiotherapist|"
    r"physical\s+therapist|general\s+practitioner|medical\s+(?:writer|editor|reviewer|director)|"
    r"health\s+(?:writer|editor|journalist)|staff\s+writer|senior\s+editor|editor-in-chief|"
    r"chief\s+medical\s+officer|professor\s+of\s+\w+"
    r")(?![\w])",
    re.IGNORECASE,
)


def author_name_problems(name: str) -> list[tuple[str, str]]:
    """(kind, text as written) for each part of an author name that Google says to leave out.

    kind is one of "byline prefix", "honorific", "credential", "job title".  Detects
    English and French forms: "By"/"Par"/"Written by"/"Rédigé par", Dr/Dr./Pr/Prof./
    Docteur/Professeur, MD/PhD/RN/RD/MPH/DO/PharmD/FACP..., pharmacien/médecin/
    diététicienne/physician/dietitian... Ambiguous short credentials are only
    recognised in capitals (RN, RD) or after a comma (", DO", ", MS").
    """
    return list(_author_name_problems(name)) if isinstance(name, str) else []


@lru_cache(maxsize=4096)
def _author_name_problems(name: str) -> tuple[tuple[str, str], ...]:
    if not name.strip():
        return ()
    found: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(kind: str, hit: str) -> None:
        hit = hit.strip()
        key = hit.lower().replace(".", "").replace(" ", "")
        if key not in seen:
            seen.add(key)
            found.append((kind, hit))

    m = _BYLINE_RE.match(name)
    if m:
        add("byline prefix", m.group("hit") or m.group("label"))
    m = _MONSIEUR_RE.match(name)
    if m:
        add("honorific", m.group("hit"))
    for m in _HONORIFIC_RE.finditer(name):
        add("honorific", m.group(0))
    for regex in (_CREDENTIAL_RE, _CREDENTIAL_UPPER_RE, _CREDENTIAL_AFTER_COMMA_RE):
        for m in regex.finditer(name):
            add("credential", m.group("hit"))
    for m in _JOB_TITLE_RE.finditer(name):
        add("job title", m.group("hit"))
    return tuple(found)


def google_author_problems(name: str) -> list[str]:
    """Human-readable offending parts of an author name, e.g. ['honorific "Dr."', 'credential "MD"'].

    Empty when the name is clean.  See ``author_name_problems`` for the structured form.
    """
    return [f'{kind} "{hit}"' for kind, hit in author_name_problems(name)]
