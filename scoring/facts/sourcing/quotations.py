"""Quotations: <blockquote>, <q> and quoted passages of 6+ words in prose, with the speaker when one is named nearby."""

from __future__ import annotations

import re

from scoring.facts.sourcing.statistics import UPPER_LETTERS
from scoring.page.index import clean_text, element_text

MAX_QUOTATIONS = 100

# A straight quote opens a passage when no word character or quote precedes it: the test
# comes after the quote (a 2-character look-behind) so that every alternative starts with a
# quote character and `re` skips to those instead of trying the look-behind everywhere.
_QUOTED = re.compile(
    r"“(?P<a>[^“”]{8,1200}?)”|«\s*(?P<b>[^«»]{8,1200}?)\s*»|„(?P<c>[^„“”]{8,1200}?)[“”]"
    r"|\"(?<![\w\"]\")(?P<d>[^\"]{8,1200}?)\"(?![\w\"])"
)
_VERB = (
    r"(?:said|says|say|explains|explained|told|tells|noted|notes|adds|added|writes|wrote|stated|states|recalls|"
    r"recalled|warns|warned|continued|continues|argues|argued|commented|comments|observed|observes|pointed\s+out|"
    r"points\s+out|suggests|suggested|asserts|asserted|remarked|acknowledged|acknowledges|emphasized|emphasizes|"
    r"emphasised|emphasises|stressed|stresses|concluded|concludes|admits|admitted|insisted|insists|advises|"
    r"advised|recommends|recommended|shared|shares|described|describes|cautions|cautioned|reports|reported|"
    r"a\s+déclaré|déclare|a\s+dit|dit|explique|expliquait|a\s+expliqué|affirme|a\s+affirmé|souligne|a\s+souligné|"
    r"précise|a\s+précisé|indique|a\s+indiqué|ajoute|a\s+ajouté|confie|a\s+confié|estime|a\s+estimé|assure|"
    r"a\s+assuré|rappelle|a\s+rappelé|observe|poursuit|insiste|commente|note|raconte|détaille|prévient|avertit|"
    r"reconnaît|résume|témoigne|conclut|martèle|analyse|conseille|recommande|nuance|juge|lance|dénonce|regrette|"
    r"s['’]inquiète|considère|a\s+mis\s+en\s+garde|met\s+en\s+garde|prévenait|confiait|ajoutait|déclarait|"
    r"believes|thinks|argued|cautions|explaining|saying|adding|noting|writing|told\s+\w+|"
    r"sagt|sagte|erklärt|erklärte|betont|betonte|meint|meinte|berichtet|berichtete|ergänzt|warnt|warnte)"
)
_NAME_WORD = r"(?:[" + UPPER_LETTERS + r"][\w'’-]+|[" + UPPER_LETTERS + r"]\.)"
_NAME = (
    r"(?:(?:Dr|Dre|Drs|Pr|Prof|Mr|Mrs|Ms|Mme|Mlle|Me|M)\.?\s+|(?:[Dd]octeur|[Pp]rofesseur|[Pp]rofessor|[Dd]octor)"
    r"\s+)?" + _NAME_WORD + r"(?:\s+(?:(?:de|du|des|van|von|der|da|di|del|le|la|bin|ben)\s+)?" + _NAME_WORD + r"){0,3}"
)
_PRONOUN = r"(?:he|she|il|elle|er|sie|t-il|t-elle)"
_AFTER_VERB_NAME = re.compile(
    r"^[\s,.;:!?—–-]*(?:" + _VERB + r")(?:-t-(?:il|elle))?\s+(?:(?:le|la|l['’]|the)\s+)?(?:[\w'’-]+,?\s+){0,5}?(?P<n>"
    + _NAME + r")")
_AFTER_NAME_VERB = re.compile(r"^[\s,.;:!?—–-]*(?P<n>" + _NAME + r")(?:,[^,.!?]{0,80},)?\s+(?:" + _VERB + r")\b")
_AFTER_NOUN_VERB = re.compile(
    r"^[\s,.;:!?—–-]*(?P<n>(?i:the|a|an|le|la|l['’]|un|une|der|die|das)\s*(?:[a-zà-ÿ-]+\s+){0,2}?[a-zà-ÿ-]{3,})\s+"
    r"(?:" + _VERB + r"|described|wrote)\b")
_AFTER_DASH = re.compile(r"^\s*[—–-]\s*(?P<n>" + _NAME + r")")
_AFTER_PRONOUN = re.compile(
    r"^[\s,.;:!?—–-]*(?:" + _PRONOUN + r"\s+(?:" + _VERB + r")|(?:" + _VERB + r")(?:\s+|-)" + _PRONOUN + r")\b")
_BEFORE_NAME_VERB = re.compile(
    r"(?P<n>" + _NAME + r")(?:,[^,.!?“”\"«»]{0,80},)?\s+(?:(?:also|then|later|aussi|encore)\s+)?(?:" + _VERB
    + r")\b[^.!?“”\"«»]{0,60}$")
_BEFORE_ACCORDING = re.compile(
    r"\b(?i:according\s+to|selon|laut|d['’]après|in\s+the\s+words\s+of|as\s+put\s+by)\s+(?:(?:le|la|the)\s+|l['’]\s*)?"
    r"(?:[\w'’-]+,?\s+){0,4}?(?P<n>" + _NAME + r")[^.!?“”\"«»]{0,60}$")
_BEFORE_SAID = re.compile(
    r"(?P<n>" + _NAME + r"|\b(?:he|she|il|elle|er|sie))\s+(?:(?:also|then|aussi)\s+)?(?:" + _VERB
    + r")(?:\s+(?:\w+\s+){0,3}?(?:[" + UPPER_LETTERS + r"][\w.]+|him|her|me|us|them))?\s*[.:]\s*$")
_BEFORE_PRONOUN_VERB = re.compile(
    r"\b(?:he|she|il|elle|er|sie)\s+(?:(?:also|then|aussi)\s+)?(?:" + _VERB + r")\b[^.!?“”\"«»]{0,60}$")
_INCISE = re.compile(
    r"[,;]\s*(?:(?:" + _VERB + r")-t-(?:il|elle)|(?:" + _VERB + r")\s+(?:(?:le|la|l['’])\s*)?(?P<n>" + _NAME
    + r"))\s*[,.;]")
_PRONOUNS = frozenset({"he", "she", "il", "elle", "er", "sie"})
_TITLED = re.compile(r"\b(?:Dr|Dre|Pr|Prof|Mr|Mrs|Ms|Mme|M)\.?\s+[" + UPPER_LETTERS + r"]")
_PERSON = re.compile(
    r"(?:(?:Dr|Dre|Pr|Prof|Mr|Mrs|Ms|Mme|M)\.?\s+" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,2}"
    r"|[" + UPPER_LETTERS + r"][a-zà-ÿ'’-]+\s+(?:(?:de|du|van|von|le|la)\s+)?[" + UPPER_LETTERS + r"][\w'’-]+)"
    r"(?=,|\s+[a-zà-ÿ])")
_BEFORE_VERB_ONLY = re.compile(r"\b(?:" + _VERB + r")\b[^.!?“”\"«»]{0,40}[:,]\s*$")
_TITLE_CUE = re.compile(r"(?:titled|entitled|intitulée?|called|named|appelée?|nommée?|book|livre|film|report|"
                        r"rapport|campaign|campagne|programme|program|motto|slogan|rubriques?|sections?|chapitre|"
                        r"chapter|paragraphe|heading|voir|see)\s*[:,]?\s*$", re.I)
_SPEAKER_STOP = frozenset(
    """The This That These Those It Its He She They We You I But And Or So In On At As For If When While What Why How
    A An Le La Les Il Elle Ils Elles Nous Vous Je Mais Et Ou Dans Sur Pour Selon Quand Un Une Der Die Das Er Sie Es
    Wir Und Aber In Im Am According After Before Then Also Her His Their Our My Your Ce Cette Ces""".split()
)
_BOX_LABEL = re.compile(
    r"(?:summary|bottom\s+line|key\s+(?:takeaways?|points)|takeaways?|in\s+summary|note|tip|important|warning|"
    r"caution|résumé|en\s+bref|à\s+retenir|l['’]essentiel|attention|conseil|astuce|bon\s+à\s+savoir|fazit|"
    r"zusammenfassung|wichtig|hinweis|tipp)\b\s*:?\s", re.I)
_BOX_CLASS = re.compile(r"summary|takeaway|callout|tip|note|alert|warning|info-?box|highlight", re.I)

_SOCIAL_EMBED = re.compile(r"tweet|instagram|tiktok|facebook|embed|social", re.I)
NORM_TEXT = re.compile(r"[\W_]+")
WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
QUOTE_CHARS = "“”«»„\"'‘’ \u00a0"


def _clean_speaker(name: str | None) -> str | None:
    if not name:
        return None
    words = name.strip(" ,.;:").split()
    while words and words[0] in _SPEAKER_STOP:
        words.pop(0)
    while words and words[-1] in _SPEAKER_STOP:
        words.pop()
    if not words:
        return None
    speaker = " ".join(words).rstrip(".,;:")
    if speaker.endswith(("'s", "’s")):
        speaker = speaker[:-2]
    return speaker or None


def attribution(before: str, after: str, quoted: str = "", guillemets: bool = False) -> tuple[bool, str | None]:
    """Whether a quotation is attributed, from the text just before and after it, and the speaker.

    A speaker of None with True means a pronoun ("she says"): the caller resolves it to the
    last named speaker.
    """
    after = after[:160]
    for rx in (_AFTER_VERB_NAME, _AFTER_NAME_VERB, _AFTER_DASH):
        m = rx.match(after)
        if m:
            speaker = _clean_speaker(m.group("n"))
            if speaker:
                return True, speaker
    if _AFTER_PRONOUN.match(after):
        return True, None
    m = _AFTER_NOUN_VERB.match(after)
    if m:
        return True, m.group("n").strip()
    if quoted:
        # French incise inside the guillemets: « ..., souligne-t-elle. ... » / « ..., explique le Dr Martin, ... »
        m = _INCISE.search(quoted)
        if m:
            return True, _clean_speaker(m.group("n")) if m.group("n") else None
    # the sentence the quote sits in, and the one before when the quote opens a sentence
    before = before[-160:]
    cut = max(before.rfind(". "), before.rfind("! "), before.rfind("? "), before.rfind(".\u00a0"))
    current = before[cut + 2:] if cut >= 0 else before
    if not current.strip():
        if cut >= 0:
            m = _BEFORE_SAID.search(before, max(0, cut - 100))
            if m:
                return True, None if m.group("n").lower() in _PRONOUNS else _clean_speaker(m.group("n"))
        return False, None
    for rx in (_BEFORE_ACCORDING, _BEFORE_NAME_VERB):
        m = rx.search(current)
        if m:
            speaker = _clean_speaker(m.group("n"))
            if speaker:
                return True, speaker
    if _BEFORE_VERB_ONLY.search(current) or _BEFORE_PRONOUN_VERB.search(current):
        return True, None
    # a person named earlier in the same sentence: "Sophie Binet a mis le président en garde « ... »"
    # (guillemets and German quotes only: English prose names organisations the same way)
    if guillemets or _TITLED.search(current):
        names = [m for m in _PERSON.finditer(current) if _clean_speaker(m.group(0))]
        if names and (guillemets or _TITLED.match(names[-1].group(0))):
            return True, _clean_speaker(names[-1].group(0))
    return False, None


def _looks_like_title(text: str, before: str) -> bool:
    words = WORD_RE.findall(text)
    if len(words) <= 5:
        return True
    if _TITLE_CUE.search(before[-40:]):
        return True
    long_words = [w for w in words if len(w) > 3]
    if long_words and len(words) <= 15 and not re.search(r"[.!?,;]", text[:-1]):
        caps = sum(1 for w in long_words if w[0].isupper())
        if caps / len(long_words) >= 0.7:
            return True
    return False


def prose_quotes(text: str, prev_text: str) -> list[dict]:
    """Quoted passages of a prose block with their attribution.

    In a paragraph such as “A,” says Dr Roe. “B.” the second passage has no attribution of
    its own and belongs to the same speaker: it is merged into the first when the two are
    close, or inherits the speaker otherwise. A short quote (a title or a term, not counted)
    still passes its speaker on.
    """
    out: list[dict] = []
    last: dict | None = None  # last attributed passage, counted or not
    for m in _QUOTED.finditer(text):
        quoted = (m.group("a") or m.group("b") or m.group("c") or m.group("d") or "").strip()
        before = text[:m.start()]
        after = text[m.end():]
        guillemets = m.group("b") is not None or m.group("c") is not None
        attributed, speaker = attribution(before if last is None else text[last["_end"]:m.start()], after, quoted,
                                           guillemets)
        if _looks_like_title(quoted, before):
            if attributed:
                last = {"speaker": speaker, "_end": m.end(), "_pronoun": speaker is None, "counted": False}
            continue
        if last is not None:
            gap = text[last["_end"]:m.start()]
            own_after = attribution("", after, quoted)[0]
            if not own_after and (not attributed or attribution("", gap)[1] in (None, last["speaker"])):
                if last["counted"] and len(gap) < 80:
                    last["text"] = (last["text"] + " " + quoted)[:600]
                    last["_end"] = m.end()
                    continue
                attributed, speaker = True, last["speaker"]
        elif not attributed and not before.strip() and prev_text.rstrip().endswith(":"):
            attributed, speaker = attribution(prev_text, "")
        q = {"text": quoted[:600], "attributed": attributed, "speaker": speaker, "_end": m.end(),
             "_pronoun": attributed and speaker is None, "counted": True}
        out.append(q)
        if attributed:
            last = q
    for q in out:
        q.pop("counted")
    return out


def resolve_speaker(q: dict, state: dict, index: int) -> dict:
    """Give "she says" quotes the last speaker named a few blocks above; remember named speakers."""
    pronoun = q.pop("_pronoun", False)
    q.pop("_end", None)
    if q["speaker"]:
        if q["speaker"][0].isupper():
            state["name"], state["at"] = q["speaker"], index
    elif pronoun and state["name"] and index - state["at"] <= 6:
        q["speaker"] = state["name"]
        state["at"] = index
    return q


def blockquote(bq, blocks, first: int, last: int) -> dict | None:
    cls = f"{bq.get('class') or ''} {bq.get('id') or ''}"
    if _SOCIAL_EMBED.search(cls):
        return None
    parts: list[str] = []
    speaker_text = None
    for child in bq.iter("footer", "cite", "figcaption"):
        speaker_text = element_text(child)
        if speaker_text:
            break
    _collect_quote_text(bq, parts)
    text = clean_text(" ".join(parts)).strip(QUOTE_CHARS)
    if len(WORD_RE.findall(text)) <= 5 or _BOX_LABEL.match(text) or _BOX_CLASS.search(cls):
        return None  # a summary / tip / warning box styled as a blockquote
    parent = bq.getparent()
    if not speaker_text and parent is not None and parent.tag == "figure":
        cap = parent.find("figcaption")
        if cap is not None:
            speaker_text = element_text(cap)
    if speaker_text:
        return {"text": text[:600], "attributed": True, "speaker": _speaker_from_caption(speaker_text)}
    m = re.search(r"[—–-]\s*(" + _NAME + r")[^—–]{0,80}$", text)
    if m and m.start() > 0:
        speaker = _clean_speaker(m.group(1))
        if speaker:
            return {"text": text[:m.start()].strip(QUOTE_CHARS + "—–- ")[:600], "attributed": True,
                    "speaker": speaker}
    # the blocks around it: "Dr Smith explains:" before, "— Dr Smith" / "said Dr Smith" after
    before = blocks[first - 1].text if first else ""
    after = blocks[last + 1].text if last + 1 < len(blocks) else ""
    attributed, speaker = attribution(before if before.rstrip().endswith(":") else "", after[:160])
    if not attributed:
        inner = [resolve_speaker(q, {"name": None, "at": 0}, 0) for q in prose_quotes(text, "")
                 if q["attributed"]]
        if inner:
            attributed, speaker = True, inner[0]["speaker"]
    return {"text": text[:600], "attributed": attributed, "speaker": speaker}


def _collect_quote_text(el, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag not in ("footer", "cite", "figcaption", "script", "style", "button") and tag:
            _collect_quote_text(child, parts)
        if child.tail:
            parts.append(child.tail)


def _speaker_from_caption(text: str) -> str | None:
    text = text.strip(" —–-―~\u00a0")
    name = re.split(r",|\s[—–-]\s|\(", text, maxsplit=1)[0].strip()
    return _clean_speaker(name[:80]) or (text[:80] or None)


def add_quote(quotes: list[dict], keys: list[str], q: dict) -> None:
    """Add a quotation unless it repeats one already seen (pull-quotes repeat the text)."""
    key = NORM_TEXT.sub(" ", q["text"].lower()).strip()
    if not key:
        return
    for i, other in enumerate(keys):
        if key == other or (len(key) >= 30 and key in other) or (len(other) >= 30 and other in key):
            if q["attributed"] and not quotes[i]["attributed"]:
                quotes[i]["attributed"] = True
                quotes[i]["speaker"] = q["speaker"]
            return
    keys.append(key)
    quotes.append(q)
