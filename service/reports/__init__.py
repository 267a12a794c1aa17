"""Readable, self-contained HTML reports: one page's audit and a site batch's summary, in English or French.

Offline by design: inline CSS and script, charts as server-drawn SVG, no external resource.
"""

from .env import CONTENT_SECURITY_POLICY
from .page import render_page_report
from .site import render_site_report

__all__ = ["CONTENT_SECURITY_POLICY", "render_page_report", "render_site_report"]
