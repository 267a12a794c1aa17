"""Authors and medical reviewers: from markup, visible bylines, author boxes and meta tags.

A byline is read as: label ("By", "Medically reviewed by", "Rédigé par"...),
optional honorific, the name, then credentials after a comma; everything
after that (dates, job titles, the outlet) is dropped. The same person found
in several places is one entry.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from lxml import etree

from .page import _SKIP_TAGS, Page, clean_text, element_text, text_of

# Credentials that say something about health expertise (and some that do not, kept to strip them).
HEALTH_CREDENTIALS = (
    "MD M.D. DO D.O. PhD Ph.D. MPH MSPH DrPH RN BSN MSN NP APRN FNP FNP-BC PA PA-C RD RDN LD LDN CDE CDCES CNS "
    "PharmD Pharm.D. RPh DDS DMD DPT PT OT OTR/L LCSW LMFT LPC PsyD MBBS MBChB MB BCh MRCGP MRCP FRCP FRCS FRCPC "
    "FACP FACC FAAP FACOG FACS FAAFP FACE FAAN IBCLC CSCS DNP CNM CRNA MSW ND DC OD MSc MS MPhil DPhil MHS "
    "CPH CHES FNP-C ANP AGNP PMHNP RDH MHSc BPharm MPharm MRPharmS DipNutr"
).split()
OTHER_CREDENTIALS = "MA BA BS BSc MBA JD EdD MEd MFA CPT ACE".split()
_CRED_CANON = {c.replace(".", "").upper(): c for c in HEALTH_CREDENTIALS + OTHER_CREDENTIALS}
_CRED_CANON.update({"MD": "MD", "DO": "DO", "PHD": "PhD", "PHARMD": "PharmD"})
NON_HEALTH_CREDENTIALS = frozenset(OTHER_CREDENTIALS)

HONORIFICS = {
    "dr": "Dr", "dr.": "Dr", "dre": "Dr", "doctor": "Dr", "docteur": "Dr", "doctoresse": "Dr",
    "prof": "Prof", "prof.": "Prof", "professor": "Prof", "professeur": "Prof", "pr": "Pr", "pr.": "Pr",
}
# Health professions named after a name ("Marie Dupont, pharmacienne") count as credentials.
PROFESSIONS = {
    "pharmacien": "pharmacien", "pharmacienne": "pharmacien", "médecin": "médecin",
    "médecin généraliste": "médecin généraliste", "diététicien": "diététicien", "diététicienne": "diététicien",
    "nutritionniste": "nutritionniste", "infirmier": "infirmier", "infirmière": "infirmier",
    "sage-femme": "sage-femme", "kinésithérapeute": "kinésithérapeute", "psychologue": "psychologue",
    "psychiatre": "psychiatre", "pédiatre": "pédiatre", "cardiologue": "cardiologue",
    "dermatologue": "dermatologue", "gynécologue": "gynécologue", "endocrinologue": "endocrinologue",
    "chirurgien": "chirurgien", "chirurgienne": "chirurgien", "chirurgien-dentiste": "chirurgien-dentiste",
    "dentiste": "dentiste", "oncologue": "oncologue", "neurologue": "neurologue", "allergologue": "allergologue",
    "physician": "physician", "pharmacist": "pharmacist", "dietitian": "dietitian", "dietician": "dietitian",
    "nutritionist": "nutritionist", "registered dietitian": "registered dietitian", "nurse": "nurse",
    "registered nurse": "registered nurse", "psychologist": "psychologist", "psychiatrist": "psychiatrist",
    "pediatrician": "pediatrician", "cardiologist": "cardiologist", "dermatologist": "dermatologist",
    "surgeon": "surgeon", "dentist": "dentist", "epidemiologist": "epidemiologist", "midwife": "midwife",
    "oncologist": "oncologist", "neurologist": "neurologist", "endocrinologist": "endocrinologist",
    "gynecologist": "gynecologist", "obstetrician": "obstetrician", "internist": "internist",
    "family physician": "family physician", "general practitioner": "general practitioner", "gp": "GP",
}

_REVIEW_LABEL = (
    r"(?:medically|clinically|medical(?:ly)?|expert|fact|peer|scientifically)?[\s-]*"
    r"(?:reviewed|checked|fact[\s-]checked|verified|approved)\s+by"
    r"|relu(?:e)?\s+(?:et\s+valid[ée]e?\s+)?par|valid[ée]e?\s+par|article\s+valid[ée]\s+par|v[ée]rifi[ée]e?\s+par"
    r"|relecture\s+(?:m[ée]dicale\s+)?(?:par|:)|revu(?:e)?\s+par|expertise\s+m[ée]dicale\s*:"
    r"|medical\s+review(?:er)?\s*:|reviewer\s*:|gepr[üu]ft\s+von"
)
_AUTHOR_LABEL = (
    r"written\s+by|authored\s+by|submitted\s+by|posted\s+by|story\s+by|words\s+by|author\s*:|authors\s*:"
    r"|r[ée]dig[ée]e?\s+par|[ée]crite?\s+par|auteure?s?\s*:|r[ée]daction\s*:|sign[ée]e?\s+par|propos\s+recueillis\s+par"
    r"|\bby|\bpar|\bvon|autor(?:in)?\s*:"
)


class _Label:
    """A label regex and lower-case words one of which every match holds: a text without any of them skips
    the regex, which is slow (it tries every alternative at every position)."""

    __slots__ = ("pattern", "anchors")

    def __init__(self, pattern: str, anchors: tuple[str, ...]) -> None:
        self.pattern = re.compile(pattern, re.I)
        self.anchors = anchors

    def possible(self, text: str) -> bool:
        low = text.lower()
        for anchor in self.anchors:  # a plain loop: any() over a generator costs twice as much here
            if anchor in low:
                return True
        return False

    def search(self, text: str) -> re.Match | None:
        return self.pattern.search(text) if self.possible(text) else None

    def finditer(self, text: str) -> Iterator[re.Match]:
        return self.pattern.finditer(text) if self.possible(text) else iter(())


REVIEW_RE = _Label(rf"(?<![\w-])({_REVIEW_LABEL})(?!\w)\s*:?\s*",
                   ("review", "checked", "verified", "approved", "relu", "valid", "rifi", "relecture", "revu",
                    "expertise", "prüft", "pruft"))
AUTHOR_RE = _Label(rf"(?<![\w-])({_AUTHOR_LABEL})(?!\w)\s*:?\s*",
                   ("by", "par", "von", "author", "auteur", "autor", "daction"))
# Cheap pre-filter on raw text nodes before any element text is built: words that start a label.
_LABEL_STARTS = ("by", "par", "von", "auteur", "author", "autor", "reviewed", "checked", "relu", "valid",
                 "vérifi", "verifi", "relecture", "revu", "rédig", "redig", "écrit", "ecrit", "rédaction",
                 "redaction", "expertise", "geprüft", "gepruft")

_NAME_TOKEN = re.compile(
    r"(?:[A-ZÀ-ÖØ-ÞŁŚŻŹĆŃ][\w'’À-ÿ.-]*|(?:de|du|des|da|di|del|della|van|von|der|den|le|la|bin|ben|al|el|d'|d’|"
    r"dos|das|ter|ten|y|e)(?=\s)|[A-Z]\.)",
    re.U,
)
_PARTICLES = frozenset("de du des da di del della van von der den le la bin ben al el dos das ter ten y e".split())
_MONTHS = frozenset(
    "january february march april may june july august september october november december jan feb mar apr "
    "jun jul aug sep sept oct nov dec janvier février fevrier mars avril mai juin juillet août aout septembre "
    "octobre novembre décembre decembre januar februar märz april juni juli oktober dezember".split()
)
# Words that end a name: job titles, outlets, connectors.
_STOP_WORDS = frozenset(
    "on le am updated published posted mis publié et and und with avec for pour in dans at the staff writer "
    "reporter editor contributor correspondent journaliste rédacteur rédactrice rédaction health news team "
    "updated: last".split()
)
_ORG_WORDS = re.compile(
    r"\b(team|staff|editors?|editorial|rédaction|redaction|équipe|desk|inc|llc|ltd|gmbh|pc|sa|sas|online|"
    r"clinic|hospital|hôpital|institute|institut|university|université|association|society|société|"
    r"foundation|fondation|department|ministry|ministère|agency|agence|group|groupe|media|médias|news|"
    r"press|presse|magazine|journal|center|centre|services?|health|santé|medicine|médecine|la table)\b",
    re.I,
)
_CRED_SHAPE = re.compile(r"[A-Z][A-Z/-]{1,5}")
_SEPARATORS = re.compile(r"\s*(?:\||/|•|·|–|—|\s-\s|\n)\s*")
_WHITESPACE = re.compile(r"\s+")
_KEY_SEPARATORS = re.compile(r"[\s.\-’']+")
_CREDENTIAL_SEPARATORS = re.compile(r"[\s,]+")
_NAME_SEPARATORS = re.compile(r"\s+(?:and|et|und|&)\s+|;\s*")  # between the names after one label
_BYLINE_START = re.compile(r"[|•·/\n:]\s*$|^\W*$")  # what may come before a bare "by": a separator, or nothing


def _strip_accents(text: str) -> str:
    if text.isascii():  # nothing to decompose: most names
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def person_key(name: str) -> str:
    """Identity of a name for de-duplication: case, accents, dots and middle initials ignored."""
    tokens = [t for t in _KEY_SEPARATORS.split(_strip_accents(name).casefold()) if t]
    tokens = [t for t in tokens if len(t) > 1 or t == tokens[-1]]
    if len(tokens) >= 2:
        return f"{tokens[0]} {tokens[-1]}"
    return " ".join(tokens)


def parse_person(text: str) -> dict[str, Any] | None:
    """Split "Dr. Jane Roe, MD, PhD - Staff Writer" into a clean name and its credentials."""
    text = _WHITESPACE.sub(" ", text).strip(" :,;-–—*")
    credentials: list[str] = []
    # honorific first
    while True:
        head, _, rest = text.partition(" ")
        honor = HONORIFICS.get(head.casefold())
        if honor and rest:
            if honor not in credentials:
                credentials.append(honor)
            text = rest
        else:
            break
    text = _SEPARATORS.split(text, maxsplit=1)[0]
    parts = [p.strip() for p in text.split(",")]
    name_part = parts[0]
    tokens = name_part.split()
    name_tokens: list[str] = []
    for token in tokens:
        bare = token.strip("()*.;:").casefold()
        if bare in _MONTHS or bare in _STOP_WORDS or any(map(str.isdigit, token)):
            break
        canon = _CRED_CANON.get(token.replace(".", "").strip("*()").upper())
        if canon and name_tokens and (token.isupper() or "." in token or canon in ("PhD", "PharmD", "PsyD")):
            credentials.append(canon)
            continue
        if not (_NAME_TOKEN.fullmatch(token.strip("*")) or bare in _PARTICLES):
            break
        name_tokens.append(token.strip("*"))
    while name_tokens and name_tokens[-1].casefold() in _PARTICLES:
        name_tokens.pop()
    for part in parts[1:]:
        found = _credentials_in(part)
        if not found:
            break
        credentials.extend(c for c in found if c not in credentials)
    if not name_tokens:
        return None
    name = " ".join(name_tokens).strip(" .")
    if name.isupper() and len(name) > 3:
        name = name.title()
    letters = sum(map(str.isalpha, name))
    if letters < 3 or len(name_tokens) > 6:
        return None
    return {"name": name, "credentials": credentials}


def _credentials_in(part: str) -> list[str]:
    part = part.strip(" .*")
    profession = PROFESSIONS.get(part.casefold())
    if profession:
        return [profession]
    found, known = [], False
    for token in _CREDENTIAL_SEPARATORS.split(part):
        token = token.strip("*()")
        canon = _CRED_CANON.get(token.replace(".", "").upper())
        if canon:
            known = True
        elif not _CRED_SHAPE.fullmatch(token):
            return []
        found.append(canon or token)
    # unknown all-caps tokens count only beside a known credential ("MS MPA RDN LD CLT")
    return found if known else []


def is_health_credential(credential: str) -> bool:
    return credential not in NON_HEALTH_CREDENTIALS


def looks_like_person(name: str, strict: bool = False) -> bool:
    if _ORG_WORDS.search(name) or "@" in name or "http" in name:
        return False
    tokens = name.split()
    if strict and len(tokens) < 2:
        return False
    return all(t[0].isupper() or t.casefold() in _PARTICLES for t in tokens if t)


# ---------------------------------------------------------------- collection

class _People:
    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self._by_key: dict[str, dict[str, Any]] = {}

    def add(self, name: str, credentials: list[str], source: str, url: str | None = None,
            same_as: list[str] | None = None, kind: str = "Person", evidence: str | None = None) -> None:
        key = person_key(name)
        if not key:
            return
        entry = self._by_key.get(key)
        if entry is None:
            entry = {"name": name, "credentials": [], "url": None, "same_as": [], "source": source,
                     "sources": [], "type": kind, "evidence": evidence}
            self._by_key[key] = entry
            self.entries.append(entry)
        elif entry["name"].isupper() or (len(name) > len(entry["name"]) and source != "meta"):
            entry["name"] = name
        for cred in credentials:
            if cred not in entry["credentials"]:
                entry["credentials"].append(cred)
        if url and not entry["url"]:
            entry["url"] = url
        for link in same_as or []:
            if link not in entry["same_as"]:
                entry["same_as"].append(link)
        if source not in entry["sources"]:
            entry["sources"].append(source)
        if evidence and not entry.get("evidence"):
            entry["evidence"] = evidence

    def __contains__(self, name: str) -> bool:
        return person_key(name) in self._by_key


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first_text(value: Any) -> str | None:
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            return item.strip()
        if isinstance(item, dict):
            inner = _first_text(item.get("name")) or _first_text(item.get("@id"))
            if inner:
                return inner
    return None


def _from_markup(people: _People, values: Any, page: Page) -> None:
    for value in _as_list(values):
        if isinstance(value, str):
            parsed = parse_person(value)
            if parsed:
                people.add(parsed["name"], parsed["credentials"], "markup")
            continue
        if not isinstance(value, dict):
            continue
        raw = _first_text(value.get("name"))
        if not raw:
            given, family = _first_text(value.get("givenName")), _first_text(value.get("familyName"))
            raw = " ".join(x for x in (given, family) if x) or None
        if not raw or raw.startswith("http"):
            continue
        types = value.get("@type") or []
        kind = "Organization" if any("Organization" in t or t in ("Physician", "Hospital") for t in types) \
            else "Person"
        parsed = parse_person(raw) if kind == "Person" else {"name": raw.strip(), "credentials": []}
        if not parsed:
            continue
        creds = list(parsed["credentials"])
        for prop in ("honorificPrefix", "honorificSuffix"):
            for item in _as_list(value.get(prop)):
                if isinstance(item, str):
                    for piece in re.split(r"[,\s]+", item):
                        canon = HONORIFICS.get(piece.casefold()) or _CRED_CANON.get(piece.replace(".", "").upper())
                        if canon and canon not in creds:
                            creds.append(canon)
        for item in _as_list(value.get("jobTitle")):
            if isinstance(item, str):
                creds.extend(c for c in _credentials_in(item) if c not in creds)
        url = _first_text(value.get("url"))
        same_as = [s for s in _as_list(value.get("sameAs")) if isinstance(s, str)]
        people.add(parsed["name"], creds, "markup", page.absolute(url) if url else None, same_as, kind)


class _AfterMain:
    """Whether elements come after the main content in document order (and are not inside it)."""

    __slots__ = ("main", "_branch_at")

    def __init__(self, main: etree._Element) -> None:
        self.main = main
        # each ancestor of main, with the position of its child on the way to main: found once a page
        self._branch_at: dict[etree._Element, int] = {}
        child = main
        for node in main.iterancestors():
            self._branch_at[node] = node.index(child)
            child = node

    def __call__(self, el: etree._Element) -> bool:
        main, branch_at = self.main, self._branch_at
        if el is main or el in branch_at:
            return False
        child, node = el, el.getparent()
        while node is not None and node is not main and node not in branch_at:
            child, node = node, node.getparent()
        if node is None or node is main:
            return False
        return node.index(child) > branch_at[node]


BYLINE_MAX = 300  # characters of a byline's element text


def _text_up_to(el: etree._Element, limit: int) -> str | None:
    """`element_text(el)` when it is at most `limit` characters long, else None: the text of a big element
    (a label word's article, its whole body) is read only until it is known to be too long."""
    if not len(el):  # no children: its text is at hand
        text = element_text(el)
        return text if len(text) <= limit else None
    # element_text joins the pieces with spaces, then collapses the spaces
    pieces: list[str] = []
    most = 0  # the most characters the pieces so far make
    for piece in _visible_texts(el):
        pieces.append(piece)
        most += len(piece) + 1
        if most > limit:  # may be too long: collapse the spaces so far and count exactly
            text = clean_text(" ".join(pieces))
            if len(text) > limit:
                return None
            pieces, most = [text], len(text)
    return clean_text(" ".join(pieces))


def _visible_texts(el: etree._Element) -> Iterator[str]:
    """The texts `element_text` joins, in order: those of scripts, styles, forms, buttons... skipped."""
    if el.tag in _SKIP_TAGS:
        return
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):  # not a comment
            yield from _visible_texts(child)
        if child.tail:
            yield child.tail


def _has_label(text: str) -> bool:
    """A review or author label followed by something."""
    label = REVIEW_RE.search(text) or AUTHOR_RE.search(text)
    return label is not None and bool(text[label.end():].strip())


def _label_texts(page: Page) -> list[tuple[str, etree._Element, bool]]:
    """Short texts of elements that hold a byline label, their element, and whether it follows the article."""
    out: list[tuple[str, etree._Element, bool]] = []
    # containers already looked at: True for a byline or one too long (the walk up stops), False to walk on;
    # several label words often share them
    stop_at: dict[etree._Element, bool] = {}
    labelled: dict[str, bool] = {}  # an element and its parent often have the same text
    nodes = page.short_texts  # a byline is short
    follows_main: _AfterMain | None = None  # made at the first byline
    for index in page.short_text_index.find(_LABEL_STARTS, word_start=True):
        text = nodes[index]
        holder = text.getparent()
        if text.is_tail:
            holder = holder.getparent()
        container = holder
        for _ in range(3):
            if container is None:
                break
            stop = stop_at.get(container)
            if stop is None:
                full = _text_up_to(container, BYLINE_MAX)
                if full is None:
                    stop = True
                else:
                    stop = labelled.get(full)
                    if stop is None:
                        stop = labelled[full] = _has_label(full)
                    if stop:
                        if follows_main is None:
                            follows_main = _AfterMain(page.main)
                        out.append((full, container, follows_main(container)))
                stop_at[container] = stop
            if stop:
                break
            container = container.getparent()
    return out


# in a class or id, anywhere: "c-comments", "relatedPosts"
_BYLINE_FURNITURE = ("comment", "related", "recommend", "newsletter", "promo", "cookie", "footer", "navbar", "menu")
_FURNITURE_HINT = re.compile("|".join(_BYLINE_FURNITURE))


def _in_furniture(el: etree._Element, page: Page, known: dict[etree._Element, bool]) -> bool:
    """Site navigation, footers, comments and related-content blocks: their "by" lines are not bylines.

    `known` holds the answers found so far on the page, for the elements walked through: bylines share
    their ancestors."""
    walked = []
    node = el
    answer = False
    while node is not None and node is not page.main:
        if node in known:
            answer = known[node]
            break
        walked.append(node)
        if _is_furniture_element(node):
            answer = True
            break
        node = node.getparent()
    for node in walked:
        known[node] = answer
    return answer


def _is_furniture_element(node: etree._Element) -> bool:
    tag = node.tag
    if tag in ("nav", "footer") or node.get("role") in ("navigation", "contentinfo"):
        return True
    names, ident = node.get("class"), node.get("id")
    if (names or ident) and tag not in ("body", "html"):
        return _FURNITURE_HINT.search(f"{names or ''} {ident or ''}".lower()) is not None
    return False


def _names_after(text: str) -> list[str]:
    """Names following a label: "Jane Roe, MD and John Doe" gives both."""
    chunk = _SEPARATORS.split(text, maxsplit=1)[0] if not text.startswith(("Dr", "Pr")) else text
    pieces = _NAME_SEPARATORS.split(chunk)
    out = []
    for piece in pieces:
        piece = piece.strip()
        if piece:
            out.append(piece)
    return out


def _from_bylines(page: Page, authors: _People, reviewers: _People,
                  furniture: dict[etree._Element, bool]) -> None:
    late_used: set[int] = set()
    for text, el, late in _label_texts(page):
        if _in_furniture(el, page, furniture):
            continue
        links = [a for a in ([el] if el.tag == "a" else el.iter("a")) if a.get("href")]
        reviews = list(REVIEW_RE.finditer(text))  # read twice: reviewers, then author labels inside them
        for target, matches in ((reviewers, reviews), (authors, AUTHOR_RE.finditer(text))):
            for match in matches:
                if target is authors and _inside_any(reviews, match.start()):
                    continue
                label = match.group(1).strip().casefold()
                strict = label in ("by", "par", "von")
                if strict and match.start() > 0 and not _BYLINE_START.search(text[:match.start()]):
                    continue  # "by" in the middle of a sentence is prose, not a byline
                rest = text[match.end():]
                for piece in _names_after(rest):
                    parsed = parse_person(piece)
                    if not parsed:
                        continue
                    link = _link_for(piece, links)
                    if link is not None:
                        # the link's text bounds the name ("By <a>Kelli Miller</a> WebMD Health News")
                        linked = parse_person(clean_text(text_of(link)))
                        if linked and len(linked["name"]) < len(parsed["name"]):
                            parsed["name"] = linked["name"]
                    if not looks_like_person(parsed["name"], strict=strict):
                        continue
                    if late and parsed["name"] not in target:
                        # After the article, cards of related articles carry other people's bylines:
                        # take a new name there only for a role still empty, and only the first one.
                        if target.entries or id(target) in late_used:
                            continue
                        late_used.add(id(target))
                    url = page.absolute(link.get("href")) if link is not None else None
                    target.add(parsed["name"], parsed["credentials"], "byline",
                               url if url and url.startswith("http") else None, evidence=clean_text(text)[:200])
                break


def _link_for(piece: str, links: list) -> etree._Element | None:
    for link in links:
        text = clean_text(text_of(link))
        if text and piece.startswith(text.split(",")[0]):
            return link
    return None


_AUTHOR_CLASS = re.compile(r"(?:^|[\s_-])(?:author|byline|auteur|signature)(?:[-_]{1,2}(?:name|link|title))?(?:$|\s)",
                           re.I)


def _author_boxes(root: etree._Element) -> Iterator[etree._Element]:
    """Elements of the body whose class holds an author word, in document order (an XPath costs a third more)."""
    if root.tag != "html":
        return
    for body in root.iterchildren("body"):
        for el in body.iterdescendants(etree.Element):
            names = el.get("class")
            if names and ("author" in names or "byline" in names or "auteur" in names):
                yield el


def _from_author_boxes(page: Page, authors: _People, furniture: dict[etree._Element, bool]) -> None:
    """Unlabelled author names in elements classed as author or byline ("c-byline__author")."""
    found = 0
    for el in _author_boxes(page.root):
        if not _AUTHOR_CLASS.search(el.get("class") or "") or _in_furniture(el, page, furniture):
            continue
        text = element_text(el)
        if not text or len(text) > 80 or REVIEW_RE.search(text):
            continue
        match = AUTHOR_RE.pattern.match(text)
        parsed = parse_person(text[match.end():] if match else text)
        if parsed and looks_like_person(parsed["name"], strict=True) and parsed["name"] not in authors:
            link = el if el.tag == "a" else el.find(".//a[@href]")
            url = page.absolute(link.get("href")) if link is not None else None
            authors.add(parsed["name"], parsed["credentials"], "byline", url, evidence=text)
            found += 1
            if found >= 3:
                return


def _inside_any(matches: list[re.Match], position: int) -> bool:
    for match in matches:
        if match.start() <= position < match.end():
            return True
    return False


def _from_meta(page: Page, authors: _People) -> None:
    for value in page.meta.get("author", []) + page.meta.get("dc.creator", []) + page.meta.get("dcterms.creator", []):
        for piece in re.split(r"\s*[;|]\s*|\s+(?:and|et)\s+", value):
            parsed = parse_person(piece)
            if parsed and looks_like_person(parsed["name"], strict=True):
                authors.add(parsed["name"], parsed["credentials"], "meta")
    for value in page.meta.get("citation_author", []):
        family, _, given = value.partition(",")
        name = f"{given.strip()} {family.strip()}".strip() if given else value
        parsed = parse_person(name)
        if parsed:
            authors.add(parsed["name"], parsed["credentials"], "meta")
    for link in page.links:
        if "author" in link.rel and "author" in link.rel.split() and link.text:  # most links have no rel
            parsed = parse_person(link.text)
            if parsed and looks_like_person(parsed["name"], strict=True):
                authors.add(parsed["name"], parsed["credentials"], "byline", link.url)


def extract_people(page: Page, page_node: dict | None) -> tuple[list[dict], list[dict]]:
    """(authors, reviewers), each a list of {name, credentials, url, same_as, source}."""
    authors, reviewers = _People(), _People()
    if page_node is not None:
        _from_markup(authors, page_node.get("author"), page)
        _from_markup(reviewers, page_node.get("reviewedBy"), page)
    furniture: dict[etree._Element, bool] = {}  # elements known in or out of page furniture
    _from_bylines(page, authors, reviewers, furniture)
    if not authors.entries:
        _from_author_boxes(page, authors, furniture)
    _from_meta(page, authors)
    # someone named as reviewer is not also an author because a bare "by" matched their line
    author_list = [a for a in authors.entries if not (a["source"] != "markup" and a["name"] in reviewers
                                                      and "markup" not in a["sources"])]
    return author_list, reviewers.entries
