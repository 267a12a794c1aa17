"""The proposed JSON-LD for a page (build) and its splice into the HTML (apply)."""

from scoring.fix.apply import apply_fix, fix_removals
from scoring.fix.build import fix_html

__all__ = ["apply_fix", "fix_html", "fix_removals"]
