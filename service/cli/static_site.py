"""Built static sites on the command line: folders and globs of HTML files, each page's URL from the site's base URL.

``dist/`` and ``dist/**/*.html`` give every HTML file below ``dist``; with ``--base-url https://example.org/`` the
page ``dist/guides/asthma/index.html`` is ``https://example.org/guides/asthma/`` and ``dist/faq.html`` is
``https://example.org/faq.html``, as static hosts serve them.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..reports.env import ui_text

HTML_SUFFIXES = (".html", ".htm")
INDEX_NAMES = ("index.html", "index.htm")


@dataclass(frozen=True)
class PageInput:
    """One CLI input: what to read (a path, a URL or ``-``) and the page's URL when the site's base URL is known."""

    item: str
    url: str | None = None


def _is_remote_or_stdin(item: str) -> bool:
    return item == "-" or "://" in item


def _fixed_prefix(pattern: str) -> Path:
    """The folder a glob starts from: its path up to the first component holding a wildcard."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if glob.has_magic(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def page_url(base_url: str, root: Path, path: Path) -> str:
    """The URL a static host serves ``path`` at, ``root`` being the folder published at ``base_url``."""
    relative = path.relative_to(root).as_posix() if path != root else path.name
    if relative in INDEX_NAMES:
        relative = ""
    elif relative.endswith(tuple("/" + name for name in INDEX_NAMES)):
        relative = relative.rsplit("/", 1)[0] + "/"
    return base_url.rstrip("/") + "/" + quote(relative)


def _html_files_below(folder: Path) -> list[Path]:
    found = []
    for dirpath, _dirnames, filenames in os.walk(folder):
        found.extend(Path(dirpath) / name for name in filenames if name.lower().endswith(HTML_SUFFIXES))
    return sorted(found)


def expand_inputs(items: list[str], base_url: str | None = None,
                  lang: str = "en") -> tuple[list[PageInput], list[str]]:
    """Folders and globs expanded into their HTML files (sorted, each once); returns the inputs and one message
    per folder or glob that holds no HTML file. Files, URLs and ``-`` pass through unchanged."""
    pages: list[PageInput] = []
    problems: list[str] = []
    seen: set[str] = set()

    def add(item: str, url: str | None) -> None:
        if item not in seen:
            seen.add(item)
            pages.append(PageInput(item, url))

    for item in items:
        if _is_remote_or_stdin(item):
            pages.append(PageInput(item))
            continue
        path = Path(item)
        if path.is_dir():
            root, files = path, _html_files_below(path)
        elif glob.has_magic(item) and not path.exists():
            root = _fixed_prefix(item)
            files = sorted(Path(p) for p in glob.glob(item, recursive=True) if os.path.isfile(p))
        else:
            add(item, page_url(base_url, path.parent, path) if base_url else None)
            continue
        if not files:
            problems.append(ui_text("cli_no_html_found", lang, item=item))
        for file in files:
            add(str(file), page_url(base_url, root, file) if base_url else None)
    return pages, problems
