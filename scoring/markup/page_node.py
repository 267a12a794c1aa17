"""The page's own node in the merged graph: the most specific page or article type, found once per audit."""

from __future__ import annotations

from functools import lru_cache

from scoring.markup import vocab
from scoring.markup.graph import StructuredData

# The node describing the page itself, most specific first.
PAGE_TYPES = ("MedicalWebPage", "MedicalScholarlyArticle", "ScholarlyArticle", "NewsArticle", "BlogPosting",
              "Report", "Article", "HealthTopicContent", "FAQPage", "QAPage", "ItemPage", "AboutPage",
              "CollectionPage", "ProfilePage", "ContactPage", "WebPage", "Recipe")
HEALTH_PAGE_TYPES = ("MedicalWebPage", "MedicalScholarlyArticle", "HealthTopicContent")


@lru_cache(maxsize=1024)  # type names repeat across pages; the vocabulary walk need not
def _page_type_rank(type_name: str) -> float | None:
    """The rank of a page type in PAGE_TYPES; a subtype not listed ranks just before its nearest listed
    ancestor (ReportageNewsArticle before NewsArticle), being more specific."""
    if type_name in PAGE_TYPES:
        return PAGE_TYPES.index(type_name)
    listed = [PAGE_TYPES.index(t) for t in vocab.ancestors(type_name) if t in PAGE_TYPES]
    return min(listed) - 0.5 if listed else None


def find_page_node(data: StructuredData) -> dict | None:
    """The page's main node: the most specific page or article type, preferring one with an author."""
    candidates: list[tuple[int, float, dict]] = []
    for node in data.iter_nodes():
        types = node.get("@type") or ()
        ranks = [rank for rank in map(_page_type_rank, types) if rank is not None]
        if ranks:
            has_people = 0 if (node.get("author") or node.get("reviewedBy")) else 1
            candidates.append((has_people, min(ranks), node))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1]))
    return candidates[0][2]
