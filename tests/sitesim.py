"""A generated health web site served from 127.0.0.1, for batch tests and the batch benchmark.

``SimSite(pages=520)`` builds a deterministic site (seeded) of ``pages`` HTML pages from a
handful of realistic health templates -- English condition pages, French drug leaflets
("fiche médicament"), health news, doctor profiles, and non-health about/contact/recipe
pages -- whose quality varies (some lack authors, sources or markup) so that scores spread.
It serves them with a threaded HTTP server on a random free port, with:

* ``/robots.txt``: ``Disallow: /private/``, ``Crawl-delay`` and a ``Sitemap:`` line;
* ``/sitemap_index.xml`` whose child sitemaps ``/sitemaps/pages-N.xml.gz`` are gzipped and
  list every page (with ``<lastmod>``), the disallowed pages and the error URLs;
* ``/llms.txt`` (optional);
* error URLs, listed in the sitemaps and linked from the home page: 404s, a 500, a page that
  hangs for ``hang_seconds``, a redirect loop and a PDF;
* links between pages (navigation, section indexes, in-article links, some carrying
  fragments and tracking parameters) so that a breadth-first crawl from ``/`` reaches
  every page within depth 2.

The server logs every request (``requests``) and the peak number of requests in flight at
once (``max_in_flight``), so a test can prove what was and was not fetched.

Use it as a context manager (``with SimSite(pages=2000) as site: ...``) or through the
module-scoped pytest fixture ``sim_site`` (520 pages; import it into a conftest).
"""

from __future__ import annotations

import gzip
import json
import random
import re
import select
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

__all__ = ["SimPage", "SimSite", "sim_site"]

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

# --------------------------------------------------------------------------- vocabulary

CONDITIONS = [
    # (name, slug, other name, specialist, organ / system)
    ("High blood pressure", "high-blood-pressure", "hypertension", "cardiologist", "heart and blood vessels"),
    ("Type 2 diabetes", "type-2-diabetes", "diabetes mellitus type 2", "endocrinologist", "pancreas and metabolism"),
    ("Asthma", "asthma", "reactive airway disease", "pulmonologist", "airways"),
    ("Migraine", "migraine", "migraine headache", "neurologist", "brain and nerves"),
    ("Osteoarthritis", "osteoarthritis", "degenerative joint disease", "rheumatologist", "joints"),
    ("Depression", "depression", "major depressive disorder", "psychiatrist", "mood"),
    ("Atopic eczema", "atopic-eczema", "atopic dermatitis", "dermatologist", "skin"),
    ("Gout", "gout", "gouty arthritis", "rheumatologist", "joints"),
    ("Irritable bowel syndrome", "irritable-bowel-syndrome", "IBS", "gastroenterologist", "gut"),
    ("Iron deficiency anaemia", "iron-deficiency-anaemia", "anaemia", "haematologist", "blood"),
    ("Hypothyroidism", "hypothyroidism", "underactive thyroid", "endocrinologist", "thyroid gland"),
    ("Kidney stones", "kidney-stones", "nephrolithiasis", "urologist", "kidneys"),
    ("Shingles", "shingles", "herpes zoster", "infectious disease specialist", "nerves and skin"),
    ("Sleep apnoea", "sleep-apnoea", "obstructive sleep apnoea", "sleep specialist", "airways"),
    ("Glaucoma", "glaucoma", "optic nerve damage", "ophthalmologist", "eyes"),
    ("Lyme disease", "lyme-disease", "borreliosis", "infectious disease specialist", "joints and nerves"),
    ("Coeliac disease", "coeliac-disease", "gluten-sensitive enteropathy", "gastroenterologist", "small intestine"),
    ("Atrial fibrillation", "atrial-fibrillation", "AF", "cardiologist", "heart rhythm"),
    ("COPD", "copd", "chronic obstructive pulmonary disease", "pulmonologist", "lungs"),
    ("Psoriasis", "psoriasis", "plaque psoriasis", "dermatologist", "skin"),
]
CONDITION_ASPECTS = [
    ("", "symptoms, causes and treatment"),
    ("symptoms", "the symptoms to watch for"),
    ("diagnosis", "how doctors make the diagnosis"),
    ("treatment", "treatment options"),
    ("in-children", "in children"),
    ("in-older-adults", "in older adults"),
    ("and-pregnancy", "and pregnancy"),
    ("diet", "what to eat"),
    ("exercise", "exercise and physical activity"),
    ("complications", "complications"),
    ("living-with", "living with it day to day"),
    ("when-to-see-a-doctor", "when to see a doctor"),
]
DRUGS = [
    # (nom, slug, classe, indication)
    ("Paracétamol", "paracetamol", "antalgique", "la douleur et la fièvre"),
    ("Ibuprofène", "ibuprofene", "anti-inflammatoire non stéroïdien", "la douleur et l'inflammation"),
    ("Amoxicilline", "amoxicilline", "antibiotique", "certaines infections bactériennes"),
    ("Metformine", "metformine", "antidiabétique oral", "le diabète de type 2"),
    ("Lévothyroxine", "levothyroxine", "hormone thyroïdienne", "l'hypothyroïdie"),
    ("Oméprazole", "omeprazole", "inhibiteur de la pompe à protons", "le reflux gastro-œsophagien"),
    ("Atorvastatine", "atorvastatine", "hypolipémiant", "l'excès de cholestérol"),
    ("Amlodipine", "amlodipine", "inhibiteur calcique", "l'hypertension artérielle"),
    ("Salbutamol", "salbutamol", "bronchodilatateur", "la crise d'asthme"),
    ("Sertraline", "sertraline", "antidépresseur", "la dépression"),
    ("Ramipril", "ramipril", "inhibiteur de l'enzyme de conversion", "l'hypertension artérielle"),
    ("Prednisolone", "prednisolone", "corticoïde", "de nombreuses maladies inflammatoires"),
    ("Loratadine", "loratadine", "antihistaminique", "le rhume des foins"),
    ("Tramadol", "tramadol", "antalgique opioïde", "les douleurs modérées à intenses"),
    ("Macrogol", "macrogol", "laxatif osmotique", "la constipation"),
]
DRUG_ASPECTS = [
    ("", "indications, posologie et effets indésirables"),
    ("posologie", "posologie chez l'adulte"),
    ("effets-indesirables", "effets indésirables"),
    ("grossesse", "grossesse et allaitement"),
    ("interactions", "interactions médicamenteuses"),
    ("enfant", "utilisation chez l'enfant"),
    ("contre-indications", "contre-indications"),
    ("surdosage", "que faire en cas de surdosage"),
]
NEWS_TOPICS = [
    ("walking", "daily walking", "a lower risk of heart disease"),
    ("sleep", "short sleep", "higher blood pressure"),
    ("salt", "salt substitutes", "fewer strokes"),
    ("vaccine", "the shingles vaccine", "a lower risk of dementia"),
    ("air-pollution", "air pollution", "more asthma attacks in children"),
    ("coffee", "moderate coffee drinking", "a lower risk of type 2 diabetes"),
    ("screen-time", "screen time before bed", "poorer sleep in teenagers"),
    ("heatwave", "heatwaves", "more hospital admissions among older adults"),
    ("fibre", "a high-fibre diet", "better blood sugar control"),
    ("loneliness", "loneliness", "a higher risk of depression"),
]
NEWS_ANGLES = [
    "New study links {a} to {b}",
    "Researchers find {a} tied to {b}",
    "What a large trial says about {a} and {b}",
    "Does {a} really lead to {b}? Experts weigh in",
]
FIRST_NAMES = ["Amelia", "James", "Sofia", "Omar", "Grace", "Daniel", "Chloé", "Lucas", "Priya", "Noah", "Inès", "Hugo"]
LAST_NAMES = ["Hart", "Okafor", "Martin", "Nguyen", "Bernard", "Kowalski", "Haddad", "Moreau", "Singh", "Lefèvre"]
FR_FIRST = ["Claire", "Marc", "Sophie", "Julien", "Camille", "Antoine", "Léa", "Nicolas"]
FR_LAST = ["Dubois", "Lefèvre", "Garnier", "Rousseau", "Fontaine", "Chevalier", "Mercier", "Blanc"]
SPECIALTIES = [
    "cardiologist",
    "endocrinologist",
    "dermatologist",
    "neurologist",
    "general practitioner",
    "paediatrician",
]
RECIPES = ["lemon-drizzle-cake", "chocolate-brownies", "sourdough-bread", "banana-pancakes", "apple-crumble"]
ABOUT_PAGES = [
    ("contact", "Contact us"),
    ("editorial-policy", "Our editorial policy"),
    ("team", "Our medical team"),
    ("advertising", "Advertising and sponsorship"),
    ("privacy", "Privacy policy"),
]

EN_SOURCES = [
    ("World Health Organization", "https://www.who.int/health-topics/{slug}"),
    ("NHS", "https://www.nhs.uk/conditions/{slug}/"),
    ("National Institutes of Health", "https://www.nih.gov/health-information/{slug}"),
    ("CDC", "https://www.cdc.gov/{slug}/index.html"),
    ("NICE", "https://www.nice.org.uk/guidance/conditions-and-diseases/{slug}"),
    ("Cochrane review", "https://www.cochranelibrary.com/search?q={slug}"),
    ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/?term={slug}"),
]
FR_SOURCES = [
    ("Base de données publique des médicaments", "https://base-donnees-publique.medicaments.gouv.fr/?q={slug}"),
    ("ANSM", "https://ansm.sante.fr/dossiers-thematiques/{slug}"),
    ("Haute Autorité de santé", "https://www.has-sante.fr/jcms/{slug}"),
    ("Vidal", "https://www.vidal.fr/medicaments/substances/{slug}.html"),
]
FR_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip

EN_PARAGRAPHS = [
    "{name} affects the {organ}. Many people have it for years before they notice anything, which is why "
    "regular check-ups matter. Doctors also call it {alias}.",
    "Your risk goes up with age, and it is higher if a parent or a brother or sister has it. Smoking, a lack of "
    "exercise and being overweight add to the risk for most people.",
    "The first signs are often mild. Some people feel tired, others notice changes that come and go. Write down "
    "what you feel and when, and bring the notes to your appointment.",
    "A {specialist} can confirm the diagnosis with a physical examination and, if needed, a few simple tests. "
    "Most tests take less than an hour and do not hurt.",
    "Treatment depends on how severe it is and on your other health problems. Small changes to daily habits come "
    "first; medicines are added when they are not enough.",
    "Eat plenty of vegetables, fruit and whole grains. Keep salt, sugar and alcohol low. These habits help most "
    "long-term conditions and cost nothing.",
    "Try to move for at least 150 minutes a week. Brisk walking, cycling or swimming all count. Start slowly if "
    "you have not exercised for a while.",
    "Take your medicines as prescribed, even when you feel well. Tell your doctor or pharmacist about side "
    "effects instead of stopping a treatment on your own.",
    "Without treatment, {alias} can lead to complications over time. Regular follow-up lets your doctor adjust "
    "the treatment before problems appear.",
    "Call emergency services at once if you have chest pain, sudden weakness on one side of the body, or great "
    "difficulty breathing. These signs need urgent care.",
    "Support groups and patient associations can help you live with a long-term condition. Talking to people "
    "who have been through the same thing often makes a difference.",
    "Children and older adults may have different symptoms. Ask a doctor when you are unsure, and never give a "
    "child a medicine meant for adults.",
]
EN_STATS = [
    "About {n} in 10 adults over 60 are affected, according to the {source}.",
    "A review of {k} trials found that treatment cut the risk of complications by {p}% ({source}).",
    "In a study of {m},000 people, those who exercised regularly had {p}% fewer symptoms ({source}).",
]
FR_PARAGRAPHS = [
    "Le {name} est un {klass}. Il est prescrit ou conseillé contre {indication}. Il existe sous plusieurs "
    "formes : comprimés, gélules ou solution buvable.",
    "Respectez la dose indiquée sur l'ordonnance ou sur la notice. Ne prenez pas deux médicaments qui "
    "contiennent la même substance active sans avis médical.",
    "Chez l'adulte, la posologie habituelle est fixée par le médecin. Elle peut être réduite chez la personne "
    "âgée ou en cas de maladie des reins ou du foie.",
    "Comme tous les médicaments, le {name} peut provoquer des effets indésirables, mais ils ne surviennent pas "
    "systématiquement chez tout le monde.",
    "Les effets indésirables les plus fréquents sont des troubles digestifs, des maux de tête ou une fatigue. "
    "Signalez tout effet inhabituel à votre médecin ou à votre pharmacien.",
    "Pendant la grossesse et l'allaitement, demandez toujours conseil avant de prendre un médicament, même "
    "vendu sans ordonnance.",
    "Certaines associations sont déconseillées. Donnez à votre pharmacien la liste de tous les médicaments que "
    "vous prenez, y compris les plantes et les compléments alimentaires.",
    "En cas de surdosage, appelez immédiatement le centre antipoison ou le 15. Gardez la boîte du médicament "
    "à portée de main pour renseigner les secours.",
    "Conservez le médicament à l'abri de la chaleur et hors de la portée des enfants. Rapportez les boîtes "
    "entamées ou périmées à la pharmacie.",
]
FILLER_MARKETING = [
    "Discover our exclusive range of products and enjoy free shipping on every order over 30 dollars.",
    "Thousands of happy customers cannot be wrong: this is the simplest way to feel better fast.",
    "Sign up to our newsletter to get the best offers and the latest wellness trends every week.",
]
RECIPE_STEPS = [
    "Heat the oven to 180 °C and line a tin with baking paper.",
    "Cream the butter and sugar together until pale and fluffy.",
    "Beat in the eggs one at a time, adding a spoonful of flour with each.",
    "Fold in the rest of the flour gently with a large metal spoon.",
    "Bake for 35 to 40 minutes, until a skewer comes out clean.",
    "Leave to cool in the tin for ten minutes before turning out.",
]


# --------------------------------------------------------------------------- model


@dataclass
class SimPage:
    """One generated HTML page (what the site serves and what a test may expect)."""

    path: str
    template: str  # condition | drug | news | doctor | about | recipe | section | home
    quality: str  # good | mixed | poor (pages of the "about" kind are "poor" on purpose)
    title: str
    h1: str
    lastmod: date
    lang: str = "en"
    links: list[str] = field(default_factory=list)  # related pages (paths)


class SimSite:
    """A deterministic generated health site on ``http://127.0.0.1:<free port>/``.

    ``pages`` is the number of HTML pages that a batch must audit (``expected_pages``); the
    disallowed ``/private/`` pages and the error URLs come on top.  ``hang_seconds`` is how
    long the slow page keeps the client waiting before answering (set the fetcher's read
    timeout below it).  ``crawl_delay`` goes into robots.txt (``None`` leaves it out).
    """

    def __init__(
        self,
        pages: int = 520,
        *,
        seed: int = 5,
        crawl_delay: float | None = 0.05,
        hang_seconds: float = 5.0,
        llms_txt: bool = True,
        urls_per_sitemap: int = 200,
    ):
        if pages < 20:
            raise ValueError("SimSite needs at least 20 pages (one of each template, plus section indexes)")
        self.seed = seed
        self.crawl_delay = crawl_delay
        self.hang_seconds = hang_seconds
        self.llms_txt = llms_txt
        self.urls_per_sitemap = urls_per_sitemap
        self.pages: dict[str, SimPage] = {}
        self._build(pages)
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)  # notified when the last request in flight ends
        self._in_flight = 0
        self.max_in_flight = 0
        self.requests: list[tuple[str, str, float, str]] = []
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""
        self._html: dict[str, bytes] = {}
        self._header: str | None = None

    # ------------------------------------------------------------------ site model

    def _build(self, total: int) -> None:
        rng = random.Random(self.seed)
        self.private_paths = ["/private/staff-rota", "/private/draft-article", "/private/board-minutes"]
        self.error_paths: dict[str, tuple[str, int | None]] = {
            "/conditions/discontinued-treatment": ("http-error", 404),
            "/news/2019/retracted-story": ("http-error", 404),
            "/doctors/dr-former-staff": ("http-error", 404),
            "/fr/medicaments/ancienne-fiche": ("http-error", 404),
            "/news/live-updates": ("http-error", 500),
            "/conditions/rare-disease-directory": ("timeout", None),
            "/loop/a": ("redirect-loop", 302),
            "/fr/medicaments/notice-paracetamol.pdf": ("not-html", 200),
        }
        fixed = ["/", "/conditions/", "/fr/medicaments/", "/news/", "/doctors/", "/about/"]
        for path in fixed:
            tmpl = "home" if path == "/" else "section"
            self.pages[path] = SimPage(path, tmpl, "good", "", "", date(2026, 3, 1), "fr" if "/fr/" in path else "en")
        about = [(f"/about/{slug}", "about", title) for slug, title in ABOUT_PAGES]
        about += [(f"/about/recipes/{slug}", "recipe", slug.replace("-", " ").capitalize()) for slug in RECIPES]
        body = total - len(fixed) - len(about)
        # shares of the article templates: conditions 40%, drugs 25%, news 22%, doctors the rest
        shares = [("condition", 0.40), ("drug", 0.25), ("news", 0.22)]
        counts = {name: int(body * share) for name, share in shares}
        counts["doctor"] = body - sum(counts.values())
        planned: list[tuple[str, str, str]] = []
        for i in range(counts["condition"]):
            planned.append(self._condition_plan(i))
        for i in range(counts["drug"]):
            planned.append(self._drug_plan(i))
        for i in range(counts["news"]):
            planned.append(self._news_plan(i))
        for i in range(counts["doctor"]):
            planned.append(self._doctor_plan(i))
        planned += about[: total - len(fixed) - len(planned)]
        start = date(2025, 1, 1)
        for path, template, title in planned:
            quality = (
                "poor"
                if template in ("about", "recipe")
                else rng.choices(["good", "mixed", "poor"], weights=[45, 35, 20])[0]
            )
            h1 = title
            lastmod = start + timedelta(days=rng.randrange(0, 440))
            lang = "fr" if template == "drug" else "en"
            self.pages[path] = SimPage(path, template, quality, title, h1, lastmod, lang)
        # a few deliberate duplicates, for the site-level findings
        news = [p for p in self.pages.values() if p.template == "news"]
        doctors = [p for p in self.pages.values() if p.template == "doctor"]
        for p in news[1:3]:
            p.title = news[0].title
        for p in doctors[1:2]:
            p.h1 = doctors[0].h1
        # related links: the next pages of the same template, so every page has in-links
        by_template: dict[str, list[SimPage]] = {}
        for p in self.pages.values():
            by_template.setdefault(p.template, []).append(p)
        for group in by_template.values():
            for i, p in enumerate(group):
                p.links = [group[(i + k) % len(group)].path for k in (1, 2, 5) if len(group) > k]
        for page in self.pages.values():
            if page.template == "home":
                page.title = page.h1 = "Example Health: trusted health information"
            elif page.template == "section":
                page.title = page.h1 = _SECTION_TITLES[page.path]

    def _condition_plan(self, i: int) -> tuple[str, str, str]:
        name, slug, _alias, _spec, _organ = CONDITIONS[i % len(CONDITIONS)]
        round_ = i // len(CONDITIONS)
        aspect_slug, aspect = CONDITION_ASPECTS[round_ % len(CONDITION_ASPECTS)]
        part = round_ // len(CONDITION_ASPECTS)
        path = (
            f"/conditions/{slug}" + (f"-{aspect_slug}" if aspect_slug else "") + (f"-part-{part + 1}" if part else "")
        )
        title = f"{name}: {aspect}" + (f" (part {part + 1})" if part else "")
        return path, "condition", title

    def _drug_plan(self, i: int) -> tuple[str, str, str]:
        name, slug, _klass, _ind = DRUGS[i % len(DRUGS)]
        round_ = i // len(DRUGS)
        aspect_slug, aspect = DRUG_ASPECTS[round_ % len(DRUG_ASPECTS)]
        part = round_ // len(DRUG_ASPECTS)
        path = f"/fr/medicaments/{slug}" + (f"-{aspect_slug}" if aspect_slug else "") + (f"-{part + 1}" if part else "")
        title = f"{name} : {aspect}" + (f" ({part + 1})" if part else "")
        return path, "drug", title

    def _news_plan(self, i: int) -> tuple[str, str, str]:
        slug, a, b = NEWS_TOPICS[i % len(NEWS_TOPICS)]
        angle = NEWS_ANGLES[(i // len(NEWS_TOPICS)) % len(NEWS_ANGLES)]
        year = 2025 + (i % 2)
        title = angle.format(a=a, b=b)
        title = title[0].upper() + title[1:] + (f" ({i + 1})" if i >= len(NEWS_TOPICS) * len(NEWS_ANGLES) else "")
        return f"/news/{year}/{slug}-{i + 1}", "news", title

    def _doctor_plan(self, i: int) -> tuple[str, str, str]:
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        last = LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)]
        combos = len(FIRST_NAMES) * len(LAST_NAMES)
        if i >= combos:  # a middle initial keeps names (and titles) unique on big sites
            first += f" {chr(ord('A') + (i // combos - 1) % 26)}."
        spec = SPECIALTIES[i % len(SPECIALTIES)]
        slug = _slug(f"dr-{first}-{last}-{i + 1}")
        return f"/doctors/{slug}", "doctor", f"Dr {first} {last}, {spec}"

    # ------------------------------------------------------------------ public views

    @property
    def sitemap_index_url(self) -> str:
        return self.base_url + "/sitemap_index.xml"

    @property
    def robots_url(self) -> str:
        return self.base_url + "/robots.txt"

    @property
    def expected_pages(self) -> set[str]:
        """Absolute URLs of the HTML pages a batch must audit (each exactly once)."""
        return {self.base_url + p for p in self.pages}

    @property
    def disallowed_urls(self) -> set[str]:
        """URLs under ``/private/`` (listed in a sitemap and linked, but disallowed by robots.txt)."""
        return {self.base_url + p for p in self.private_paths}

    @property
    def error_urls(self) -> dict[str, str]:
        """URL -> the ``FetchError.code`` a fetch of it must end with."""
        return {self.base_url + p: code for p, (code, _status) in self.error_paths.items()}

    @property
    def error_statuses(self) -> dict[str, int | None]:
        """URL -> the HTTP status that goes with the error (None for a timeout)."""
        return {self.base_url + p: status for p, (_code, status) in self.error_paths.items()}

    @property
    def sitemap_urls(self) -> list[str]:
        """Every URL listed in the sitemaps, in order: pages, disallowed pages, errors."""
        return [self.base_url + p for p in self._sitemap_paths()]

    def duplicate_titles(self) -> dict[str, set[str]]:
        return self._duplicates(lambda p: p.title)

    def duplicate_h1(self) -> dict[str, set[str]]:
        return self._duplicates(lambda p: p.h1)

    def _duplicates(self, key) -> dict[str, set[str]]:
        groups: dict[str, set[str]] = {}
        for p in self.pages.values():
            groups.setdefault(key(p), set()).add(self.base_url + p.path)
        return {k: v for k, v in groups.items() if len(v) > 1}

    def requested_paths(self) -> list[str]:
        """Paths requested so far (query strings included), in order."""
        with self._lock:
            return [path for _m, path, _t, _ua in self.requests]

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no request is in flight; False if some still is after ``timeout`` seconds.

        A client that gave up on the hanging page has closed its socket, but the handler only stops counting
        once its thread runs again and sees the hang-up: on a busy machine that is later than the client's
        next request.  Call this between requests that must not overlap.
        """
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    def reset_log(self) -> None:
        with self._lock:
            self.requests.clear()
            self.max_in_flight = self._in_flight

    # ------------------------------------------------------------------ server

    def start(self) -> SimSite:
        site = self

        class Handler(_Handler):
            sim = site

        server = _Server(("127.0.0.1", 0), Handler)
        self._server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        self._html.clear()  # pages embed the base URL, which changes with the port
        self._header = None
        self._stopping.clear()
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="sitesim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases the hanging page at once
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SimSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ responses

    def _sitemap_paths(self) -> list[str]:
        return list(self.pages) + self.private_paths + list(self.error_paths)

    def _lastmod(self, path: str) -> str:
        page = self.pages.get(path)
        return (page.lastmod if page else date(2025, 6, 1)).isoformat()

    def sitemap_files(self) -> dict[str, bytes]:
        """``/sitemaps/pages-N.xml.gz`` -> gzipped urlset (deterministic bytes: mtime 0)."""
        paths = self._sitemap_paths()
        files = {}
        for n, i in enumerate(range(0, len(paths), self.urls_per_sitemap), start=1):
            entries = "".join(
                f"<url><loc>{escape(self.base_url + p)}</loc><lastmod>{self._lastmod(p)}</lastmod></url>\n"
                for p in paths[i : i + self.urls_per_sitemap]
            )
            xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n{entries}</urlset>\n'
            files[f"/sitemaps/pages-{n}.xml.gz"] = gzip.compress(xml.encode(), mtime=0)
        return files

    def sitemap_index(self) -> bytes:
        entries = "".join(
            f"<sitemap><loc>{self.base_url}{name}</loc><lastmod>2026-03-01</lastmod></sitemap>\n"
            for name in self.sitemap_files()
        )
        xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n{entries}</sitemapindex>\n'
        return xml.encode()

    def robots_txt(self) -> str:
        lines = ["User-agent: *", "Disallow: /private/"]
        if self.crawl_delay is not None:
            lines.append(f"Crawl-delay: {self.crawl_delay:g}")
        lines += ["", "User-agent: GPTBot", "Disallow: /", "", f"Sitemap: {self.sitemap_index_url}", ""]
        return "\n".join(lines)

    def llms_text(self) -> str:
        sections = "\n".join(f"- [{_SECTION_TITLES[p]}]({self.base_url}{p})" for p in _SECTION_TITLES)
        return f"# Example Health\n\n> Trusted health information, reviewed by doctors.\n\n## Sections\n\n{sections}\n"

    def page_html(self, path: str) -> bytes:
        html = self._html.get(path)
        if html is None:  # rendering is deterministic, so a race only renders twice
            html = self._html[path] = _render_page(self, self.pages[path]).encode("utf-8")
        return html


_SECTION_TITLES = {
    "/conditions/": "Health conditions A to Z",
    "/fr/medicaments/": "Fiches médicaments",
    "/news/": "Health news",
    "/doctors/": "Find a doctor",
    "/about/": "About Example Health",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().translate(str.maketrans("éèêàçïôû", "eeeaciou"))).strip("-")


# --------------------------------------------------------------------------- HTTP handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many workers connect at once: do not refuse connections


class _Handler(BaseHTTPRequestHandler):
    sim: SimSite
    server_version = "sitesim/1.0"
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the client gave up (timeout tests): nothing to tell anyone

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_GET(self) -> None:
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        sim = self.sim
        with sim._lock:
            sim.requests.append((self.command, self.path, time.monotonic(), self.headers.get("User-Agent", "")))
            sim._in_flight += 1
            sim.max_in_flight = max(sim.max_in_flight, sim._in_flight)
        try:
            status, ctype, body, extra = self._route(urlsplit(self.path).path)
        finally:
            # the request stops counting before its answer leaves: a client that got the answer may start its
            # next request at once, and this thread may not have run its last lines yet (a busy machine)
            with sim._lock:
                sim._in_flight -= 1
                if sim._in_flight == 0:
                    sim._idle.notify_all()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _hang(self, seconds: float) -> None:
        """Keep the client waiting, but stop as soon as it hangs up, so that ``max_in_flight``
        counts requests a client is still waiting for, not abandoned ones."""
        end = time.monotonic() + seconds
        while not self.sim._stopping.is_set() and (left := end - time.monotonic()) > 0:
            readable, _, _ = select.select([self.connection], [], [], min(0.05, left))
            if readable:
                try:
                    if self.connection.recv(1, socket.MSG_PEEK) == b"":
                        raise ConnectionResetError("client closed the connection")
                except BlockingIOError:
                    pass

    def _route(self, path: str) -> tuple[int, str, bytes, dict[str, str]]:
        sim = self.sim
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", sim.robots_txt().encode(), {}
        if path == "/llms.txt" and sim.llms_txt:
            return 200, "text/plain; charset=utf-8", sim.llms_text().encode(), {}
        if path == "/sitemap_index.xml":
            return 200, "application/xml", sim.sitemap_index(), {}
        if path.startswith("/sitemaps/"):
            files = sim.sitemap_files()
            if path in files:
                return 200, "application/gzip", files[path], {}
        if path in sim.pages:
            return 200, html, sim.page_html(path), {}
        if path in sim.private_paths:
            return 200, html, b"<!DOCTYPE html><html><body><h1>Staff only</h1></body></html>", {}
        if path == "/loop/a":
            return 302, html, b"", {"Location": "/loop/b"}
        if path == "/loop/b":
            return 302, html, b"", {"Location": "/loop/a"}
        if path in sim.error_paths:
            code, status = sim.error_paths[path]
            if code == "timeout":
                self._hang(sim.hang_seconds)
                return 200, html, sim.page_html("/about/"), {}
            if code == "not-html":
                return 200, "application/pdf", _PDF, {}
            if status == 500:
                return 500, html, b"<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>", {}
        return 404, html, b"<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>", {}


_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# --------------------------------------------------------------------------- page templates


def _fmt_en(d: date) -> str:
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def _fmt_fr(d: date) -> str:
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {FR_MONTHS[d.month - 1]} {d.year}"


_STYLE = """<style>
:root{--ink:#1d2733;--accent:#0b6e4f;--muted:#5b6875;--rule:#dfe5ea}
body{margin:0;font:17px/1.6 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--ink)}
.site-header{border-bottom:1px solid var(--rule);padding:.5rem 1rem}.main-nav a{margin-right:1rem}
.mega{display:none}.main-nav:hover .mega{display:grid;grid-template-columns:repeat(4,1fr);gap:.25rem 1rem}
main{max-width:46rem;margin:0 auto;padding:1rem}h1{font-size:2rem;line-height:1.2}h2{margin-top:2rem}
.byline,.dates,.signature{color:var(--muted);font-size:.9rem}.key-points,.essentiel{background:#eef6f2;padding:1rem}
.references{font-size:.9rem}.related{border-top:1px solid var(--rule);margin-top:2rem}
.site-footer{background:#f5f7f8;padding:2rem 1rem;font-size:.9rem}.cookie{position:fixed;bottom:0}
</style>"""
_SCRIPT = (
    "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
    "gtag('js',new Date());gtag('config','G-EXAMPLE',{anonymize_ip:true});"
    "document.addEventListener('DOMContentLoaded',function(){var c=document.querySelector('.cookie');"
    "if(c&&localStorage.getItem('consent')){c.remove()}})</script>"
)


def _header(sim: SimSite) -> str:
    """The site header with its mega-menu (the same on every page, as on real sites)."""
    if sim._header is None:
        items = [("/", "Home"), ("/conditions/", "Conditions"), ("/fr/medicaments/", "Médicaments"),
                 ("/news/", "News"), ("/doctors/", "Doctors"), ("/about/", "About")]  # fmt: skip
        links = " ".join(f'<a href="{href}">{escape(label)}</a>' for href, label in items)
        menu = [(f"/conditions/{c[1]}", c[0]) for c in CONDITIONS] + [(f"/fr/medicaments/{d[1]}", d[0]) for d in DRUGS]
        mega = "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for p, t in menu if p in sim.pages)
        sim._header = (
            f'<header class="site-header"><a class="logo" href="/">Example Health</a>'
            f'<nav class="main-nav" aria-label="Main">{links}<ul class="mega">{mega}</ul></nav>'
            '<form class="search" action="/search" role="search"><input name="q" aria-label="Search">'
            "<button>Search</button></form></header>"
        )
    return sim._header


def _footer(lang: str) -> str:
    if lang == "fr":
        links = [("/about/contact", "Nous contacter"), ("/about/editorial-policy", "Charte éditoriale"),
                 ("/about/privacy", "Confidentialité"), ("/about/advertising", "Publicité")]  # fmt: skip
        legal = (
            "Les informations de ce site ne remplacent pas une consultation. En cas d'urgence, appelez le 15 ou le "
            "112. Example Health respecte la charte HONcode et la réglementation sur les données de santé."
        )
        cookie = (
            "Nous utilisons des cookies pour mesurer l'audience. <button>Accepter</button> <button>Refuser</button>"
        )
    else:
        links = [("/about/contact", "Contact us"), ("/about/editorial-policy", "Editorial policy"),
                 ("/about/privacy", "Privacy policy"), ("/about/advertising", "Advertising")]  # fmt: skip
        legal = (
            "The information on this site does not replace a consultation with a health professional. In an "
            "emergency, call your local emergency number. Example Health is funded by readers and by clearly "
            "labelled advertising that never influences our editorial content."
        )
        cookie = "We use cookies to measure our audience. <button>Accept</button> <button>Reject</button>"
    items = "".join(f'<li><a href="{href}">{escape(label)}</a></li>' for href, label in links)
    return (
        f'<footer class="site-footer"><ul class="footer-links">{items}</ul>'
        '<section class="newsletter"><h2>Newsletter</h2><form action="/newsletter" method="post">'
        '<input type="email" name="email" aria-label="Email"><button>Subscribe</button></form></section>'
        f'<p class="legal">{escape(legal)}</p><p>&copy; 2026 Example Health</p></footer>'
        f'<div class="cookie" role="dialog">{cookie}</div>'
    )


def _document(sim: SimSite, page: SimPage, description: str, jsonld: dict | None, main: str) -> str:
    url = sim.base_url + page.path
    ld = ""
    if jsonld is not None:
        ld = f'<script type="application/ld+json">{json.dumps(jsonld, ensure_ascii=False)}</script>\n'
    return (
        f'<!DOCTYPE html>\n<html lang="{page.lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(page.title)}</title>\n"
        f'<meta name="description" content="{escape(description)}">\n'
        f'<meta property="og:title" content="{escape(page.title)}">\n'
        f'<meta property="og:type" content="article">\n<meta property="og:url" content="{escape(url)}">\n'
        f'<link rel="canonical" href="{escape(url)}">\n<link rel="icon" href="/favicon.ico">\n'
        f"{_STYLE}\n{ld}{_SCRIPT}\n</head>\n<body>\n"
        f"{_header(sim)}\n<main>\n{main}\n</main>\n{_footer(page.lang)}\n</body>\n</html>\n"
    )


def _related(sim: SimSite, page: SimPage, rng: random.Random, heading: str) -> str:
    items = []
    for n, path in enumerate(page.links):
        target = sim.pages[path]
        href = path
        if n == 1:
            href += "#overview"  # fragment: the same page once normalised
        elif n == 2 and rng.random() < 0.5:
            href += "?utm_source=related&utm_medium=web"  # tracking parameters: ditto
        items.append(f'<li><a href="{escape(href)}">{escape(target.title)}</a></li>')
    return f'<aside class="related"><h2>{escape(heading)}</h2><ul>{"".join(items)}</ul></aside>'


def _person(rng: random.Random, fr: bool = False) -> str:
    if fr:
        return f"{rng.choice(FR_FIRST)} {rng.choice(FR_LAST)}"
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _render_page(sim: SimSite, page: SimPage) -> str:
    rng = random.Random(f"{sim.seed}:{page.path}")
    render = {
        "home": _home,
        "section": _section,
        "condition": _condition,
        "drug": _drug,
        "news": _news,
        "doctor": _doctor,
        "about": _about,
        "recipe": _recipe,
    }[page.template]
    return render(sim, page, rng)


def _home(sim: SimSite, page: SimPage, rng: random.Random) -> str:
    sections = "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for p, t in _SECTION_TITLES.items())
    # every URL of the sitemaps is also linked from here, errors and private pages included,
    # so that a crawl meets them just like a sitemap read does
    more = "".join(f'<li><a href="{p}">{escape(p)}</a></li>' for p in sim.private_paths + list(sim.error_paths))
    main = (
        f"<h1>{escape(page.h1)}</h1>\n<p>Clear, reviewed health information written by doctors, pharmacists "
        "and medical journalists. Every article names its authors and its sources.</p>\n"
        f"<section><h2>Browse</h2><ul>{sections}</ul></section>\n<section><h2>More</h2><ul>{more}</ul></section>"
    )
    org = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Example Health",
        "url": sim.base_url + "/",
    }
    return _document(sim, page, "Trusted health information reviewed by doctors.", org, main)


def _section(sim: SimSite, page: SimPage, rng: random.Random) -> str:
    members = [p for p in sim.pages.values() if p.template not in ("home", "section") and p.path.startswith(page.path)]
    items = "".join(f'<li><a href="{p.path}">{escape(p.title)}</a></li>' for p in members)
    main = f'<h1>{escape(page.h1)}</h1>\n<ul class="index">{items}</ul>'
    return _document(sim, page, f"{page.title}: all our pages.", None, main)


def _sources(rng: random.Random, slug: str, table: list[tuple[str, str]], k: int) -> list[tuple[str, str]]:
    return [(name, url.format(slug=slug)) for name, url in rng.sample(table, k)]


def _paragraphs(
    sim: SimSite,
    page: SimPage,
    paras: list[str],
    fields: dict[str, str],
    headings: list[str],
    *,
    link_at: int,
    see_also: str,
    extra=None,
) -> list[str]:
    """Article paragraphs with a heading every two, an in-article link to a related page, and
    what ``extra(i)`` adds after paragraph ``i``."""
    out = []
    for i, para in enumerate(paras):
        if i % 2 == 0:
            out.append(f"<h2>{headings[(i // 2) % len(headings)]}</h2>")
        text = escape(para.format(**fields))
        if i == link_at and page.links:
            text += f' {see_also} <a href="{page.links[0]}">{escape(sim.pages[page.links[0]].title)}</a>.'
        out.append(f"<p>{text}</p>")
        if extra is not None:
            out += extra(i)
    return out


def _condition(sim: SimSite, page: SimPage, rng: random.Random) -> str:
    cond = next(c for c in CONDITIONS if page.path.startswith(f"/conditions/{c[1]}"))
    name, slug, alias, specialist, organ = cond
    good, mixed = page.quality == "good", page.quality == "mixed"
    author, reviewer = _person(rng), _person(rng)
    published = page.lastmod - timedelta(days=rng.randrange(30, 400))
    sources = _sources(rng, slug, EN_SOURCES, 4 if good else 2)
    fields = {"name": name, "alias": alias, "specialist": specialist, "organ": organ}
    paras = rng.sample(EN_PARAGRAPHS, 9 if good else 7)
    parts = [f"<article>\n<h1>{escape(page.h1)}</h1>"]
    if good:
        parts.append(
            f'<div class="byline">By <a href="/doctors/">{author}, MD</a> | Medically reviewed by '
            f'<a href="/doctors/">{reviewer}, MD, PhD</a>, {specialist}, on {_fmt_en(page.lastmod)}</div>'
        )
        parts.append(f'<p class="dates">Published on {_fmt_en(published)}. Updated on {_fmt_en(page.lastmod)}.</p>')
    elif mixed:
        parts.append(f'<div class="byline">By {author}</div>')
    parts.append(
        '<div class="key-points"><h2>Key points</h2><ul>'
        f"<li>{escape(name)} is common and often treatable.</li><li>See a {specialist} if symptoms last.</li>"
        "<li>Healthy habits lower the risk of complications.</li></ul></div>"
    )
    headings = ["What is it?", "Who is at risk?", "Symptoms", "Diagnosis", "Treatment", "Prevention", "Outlook"]

    def statistic(i: int) -> list[str]:
        if not (good or mixed) or i not in (1, 4) or not sources:
            return []
        src_name, src_url = sources[i % len(sources)]
        stat = rng.choice(EN_STATS).format(n=rng.randint(2, 4), k=rng.randint(5, 40), p=rng.randint(10, 40),
                                           m=rng.randint(2, 90), source=src_name)  # fmt: skip
        return [f'<p>{escape(stat)} See <a href="{escape(src_url)}">{escape(src_name)}</a>.</p>']

    parts += _paragraphs(sim, page, paras, fields, headings, link_at=2, see_also="Read also", extra=statistic)
    if not good and not mixed:
        parts.append(f"<p>{escape(rng.choice(FILLER_MARKETING))}</p>")
    if good:
        refs = "".join(
            f'<li>{escape(n)}. {escape(name)}. <a href="{escape(u)}">{escape(u)}</a></li>' for n, u in sources
        )
        parts.append(f'<h2>References</h2><ol class="references">{refs}</ol>')
        parts.append('<p class="disclosure">Disclosures: the authors have no conflicts of interest to declare.</p>')
    parts.append(
        '<p class="disclaimer">This article is for information only. It does not replace advice from your doctor.</p>'
    )
    parts.append("</article>")
    parts.append(_related(sim, page, rng, "Related pages"))
    jsonld = None
    url = sim.base_url + page.path
    if good:
        jsonld = {
            "@context": "https://schema.org", "@type": "MedicalWebPage", "@id": url + "#webpage", "url": url,
            "headline": page.title, "inLanguage": "en", "datePublished": published.isoformat(),
            "dateModified": page.lastmod.isoformat(), "lastReviewed": page.lastmod.isoformat(),
            "author": {"@type": "Person", "name": author, "honorificSuffix": "MD"},
            "reviewedBy": {"@type": "Person", "name": reviewer, "honorificSuffix": "MD, PhD", "jobTitle": specialist},
            "publisher": {"@type": "Organization", "name": "Example Health", "url": sim.base_url + "/"},
            "about": {"@type": "MedicalCondition", "name": name, "alternateName": alias},
            "audience": {"@type": "Patient"}, "citation": [u for _n, u in sources],
        }  # fmt: skip
    elif mixed and rng.random() < 0.5:
        jsonld = {"@context": "https://schema.org", "@type": "Article", "headline": page.title, "author": author}
    desc = f"{name}: {alias}, symptoms, diagnosis and treatment, explained simply."
    return _document(sim, page, desc, jsonld, "\n".join(parts))


def _drug(sim: SimSite, page: SimPage, rng: random.Random) -> str:
    drug = next(d for d in DRUGS if page.path.startswith(f"/fr/medicaments/{d[1]}"))
    name, slug, klass, indication = drug
    good, mixed = page.quality == "good", page.quality == "mixed"
    author = _person(rng, fr=True)
    sources = _sources(rng, slug, FR_SOURCES, 3 if good else 1)
    fields = {"name": name.lower() if name != "Lévothyroxine" else name, "klass": klass, "indication": indication}
    parts = [f"<article>\n<h1>{escape(page.h1)}</h1>"]
    if good or mixed:
        parts.append(f'<p class="signature">Par Dr {author}, pharmacien.</p>')
    if good:
        parts.append(f'<p class="dates">Mis à jour le {_fmt_fr(page.lastmod)}.</p>')
    parts.append(
        f'<div class="essentiel"><h2>L\'essentiel</h2><ul><li>Le {escape(fields["name"])} est un {escape(klass)}.</li>'
        "<li>Respectez la dose prescrite.</li><li>Demandez conseil à votre pharmacien en cas de doute.</li></ul></div>"
    )
    headings = ["Indications", "Posologie", "Effets indésirables", "Précautions", "Interactions", "Conservation"]
    paras = rng.sample(FR_PARAGRAPHS, 8 if good else 6)
    parts += _paragraphs(sim, page, paras, fields, headings, link_at=3, see_also="Voir aussi")
    if good or mixed:
        src_name, src_url = sources[0]
        parts.append(f'<p>Source : <a href="{escape(src_url)}">{escape(src_name)}</a>.</p>')
    if good:
        refs = "".join(f'<li>{escape(n)}. <a href="{escape(u)}">{escape(u)}</a></li>' for n, u in sources)
        parts.append(f'<h2>Références</h2><ul class="references">{refs}</ul>')
    parts.append(
        "<p>Ces informations ne remplacent pas l'avis de votre médecin ou de votre pharmacien. "
        "Lisez attentivement la notice.</p></article>"
    )
    parts.append(_related(sim, page, rng, "Autres fiches"))
    url = sim.base_url + page.path
    jsonld = None
    if good:
        jsonld = {
            "@context": "https://schema.org", "@type": "MedicalWebPage", "url": url, "headline": page.title,
            "inLanguage": "fr", "dateModified": page.lastmod.isoformat(), "lastReviewed": page.lastmod.isoformat(),
            "author": {"@type": "Person", "name": author, "honorificPrefix": "Dr", "jobTitle": "Pharmacien"},
            "publisher": {"@type": "Organization", "name": "Example Health", "url": sim.base_url + "/"},
            "about": {"@type": "Drug", "name": name, "drugClass": {"@type": "DrugClass", "name": klass}},
            "citation": [u for _n, u in sources],
        }  # fmt: skip
    desc = f"{name} : {klass} indiqué contre {indication}. Posologie, effets indésirables et précautions."
    return _document(sim, page, desc, jsonld, "\n".join(parts))


def _news(sim: SimSite, page: SimPage, rng: random.Random) -> str:
    good, mixed = page.quality == "good", page.quality == "mixed"
    topic = next(t for t in NEWS_TOPICS if f"/{t[0]}-" in page.path)
    _slug_, a, b = topic
    reporter, expert = _person(rng), _person(rng)
    journal = rng.choice(["The BMJ", "The Lancet", "JAMA", "Nature Medicine", "NEJM"])
    doi = f"10.{rng.randint(1000, 9999)}/hg.{rng.randint(10000, 99999)}"
    parts = [f"<article>\n<h1>{escape(page.h1)}</h1>"]
    if good or mixed:
        parts.append(f'<p class="byline">By {reporter}, health reporter | {_fmt_en(page.lastmod)}</p>')
    paras = [
        f"A study published this week in {journal} suggests that {a} is associated with {b}. The researchers "
        f"followed {rng.randint(2, 40)},000 adults for {rng.randint(3, 12)} years.",
        "The team adjusted for age, smoking, income and other known risk factors, but they stress that an "
        "observational study cannot prove cause and effect.",
        f'"These results are encouraging, but we need randomised trials before changing advice," said Dr {expert}, '
        "who was not involved in the study.",
        "Previous research has produced mixed results, partly because the studies measured habits in different "
        "ways and followed people for shorter periods.",
        "Health agencies have not changed their recommendations. Talk to your doctor before making big changes "
        "to your routine, especially if you have a long-term condition.",
        "The authors plan a follow-up study with more women and more people from ethnic minorities, who were "
        "under-represented in the first cohort.",
        "Independent experts said the size of the effect was modest and could partly reflect healthier lifestyles "
        "among the people who reported the habit.",
        "Funding came from a public research council; two authors reported consulting fees from industry.",
    ]
    for i, para in enumerate(paras[: 8 if good else 6]):
        text = escape(para)
        if i == 1 and page.links:
            text += f' Related: <a href="{page.links[0]}">{escape(sim.pages[page.links[0]].title)}</a>.'
        parts.append(f"<p>{text}</p>")
        if i == 3:
            parts.append("<h2>What the findings mean for you</h2>")
    if good:
        parts.append(f'<p>Source: {journal}. <a href="https://doi.org/{doi}">doi:{doi}</a></p>')
    elif mixed:
        parts.append(f"<p>Source: {journal}.</p>")
    parts.append("</article>")
    parts.append(_related(sim, page, rng, "More news"))
    url = sim.base_url + page.path
    jsonld = None
    if good:
        jsonld = {
            "@context": "https://schema.org", "@type": "NewsArticle", "url": url, "headline": page.title,
            "datePublished": page.lastmod.isoformat(), "dateModified": page.lastmod.isoformat(),
            "author": {"@type": "Person", "name": reporter, "jobTitle": "Health reporter"},
            "publisher": {"@type": "Organization", "name": "Example Health", "url": sim.base_url + "/"},
            "citation": f"https://doi.org/{doi}",
        }  # fmt: skip
    return _document(sim, page, f"{page.title}. What the new research found and what it means.", jsonld,
                     "\n".join(parts))  # fmt: skip


def _doctor(sim: SimSite, page: SimPage, rng: random.Random) -> str:
    good = page.quality == "good"
    name, _, specialty = page.title.partition(", ")
    university = rng.choice(["University of Edinburgh", "Université Paris Cité", "King's College London"])
    parts = [
        f"<article>\n<h1>{escape(page.h1)}</h1>",
        f"<p>{escape(name)} is a {specialty} at Example Health. They trained at {university} and have "
        f"{rng.randint(5, 30)} years of clinical experience.</p>",
        "<h2>Areas of expertise</h2><ul>" + "".join(
            f"<li>{escape(c[0])}</li>" for c in rng.sample(CONDITIONS, 4)) + "</ul>",  # fmt: skip
        "<h2>Qualifications</h2>",
        f"<p>MBBS, MD. Member of the Royal College of Physicians. Registered with the General Medical Council "
        f"(number {rng.randint(1000000, 9999999)}).</p>" if good else "<p>Qualified doctor.</p>",
        "<h2>Articles reviewed</h2><ul>" + "".join(
            f'<li><a href="{p.path}">{escape(p.title)}</a></li>'
            for p in list(sim.pages.values())[10 : 10 + rng.randint(3, 8)] if p.template == "condition") + "</ul>",
    ]  # fmt: skip
    parts.append(
        "<h2>Appointments</h2><p>Book through the hospital switchboard or your family doctor. Video consultations "
        "are available on Tuesdays and Thursdays.</p></article>"
    )
    parts.append(_related(sim, page, rng, "Other doctors"))
    jsonld = None
    if good:
        jsonld = {
            "@context": "https://schema.org", "@type": "ProfilePage",
            "mainEntity": {"@type": "Physician", "name": name, "medicalSpecialty": specialty,
                           "alumniOf": university},
        }  # fmt: skip
    return _document(sim, page, f"{page.title} at Example Health.", jsonld, "\n".join(parts))


def _about(sim: SimSite, page: SimPage, rng: random.Random) -> str:
    parts = [f"<h1>{escape(page.h1)}</h1>"]
    if page.path.endswith("/contact"):
        parts.append(
            "<p>Write to us at editors@example-health.test or call +44 20 0000 0000, Monday to Friday.</p>"
            "<form action='/about/contact' method='post'><label>Your message <textarea name='m'></textarea>"
            "</label><button>Send</button></form>"
        )
    else:
        parts += [f"<p>{escape(s)}</p>" for s in rng.sample(FILLER_MARKETING, 2)]
        parts.append(
            "<p>Our articles are written by health professionals and reviewed by doctors before publication. "
            "We update them at least every two years.</p>"
        )
    if page.links:
        parts.append(f'<p><a href="{page.links[0]}">{escape(sim.pages[page.links[0]].title)}</a></p>')
    return _document(sim, page, page.title, None, "\n".join(parts))


def _recipe(sim: SimSite, page: SimPage, rng: random.Random) -> str:
    steps = "".join(f"<li>{escape(s)}</li>" for s in RECIPE_STEPS)
    main = (
        f"<article><h1>{escape(page.h1)}</h1><p>A treat from our staff canteen, shared by popular demand.</p>"
        "<h2>Ingredients</h2><ul><li>200 g self-raising flour</li><li>200 g butter</li><li>200 g sugar</li>"
        f"<li>4 eggs</li></ul><h2>Method</h2><ol>{steps}</ol></article>"
    )
    if page.links:
        main += f'<p>Next: <a href="{page.links[0]}">{escape(sim.pages[page.links[0]].title)}</a></p>'
    jsonld = {"@context": "https://schema.org", "@type": "Recipe", "name": page.title, "recipeYield": "12 slices"}
    return _document(sim, page, f"{page.title}: an easy recipe.", jsonld, main)


# --------------------------------------------------------------------------- pytest fixture


@pytest.fixture(scope="module")
def sim_site():
    """A 520-page :class:`SimSite`, one per test module; the request log starts empty."""
    with SimSite(pages=520) as site:
        yield site
