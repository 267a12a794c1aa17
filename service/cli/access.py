"""The opt-in access measurements of ``audit`` and ``crawl``: ``--render``, ``--probe-bots``, ``--chromium``."""

from __future__ import annotations

import argparse
import sys

from ..reports.env import ui_text
from .lang import default_language


def access_options(args: argparse.Namespace):
    """``--render``, ``--probe-bots`` and ``--chromium`` as :class:`service.page_access.AccessOptions`."""
    from ..audits.page_access import AccessOptions

    return AccessOptions(render=bool(getattr(args, "render", False)),
                         probe_bots=bool(getattr(args, "probe_bots", False)), chromium=getattr(args, "chromium", None))


def add_access_arguments(parser: argparse.ArgumentParser) -> None:
    """The opt-in access measurements, shared by ``audit`` and ``crawl``."""
    lang = default_language()
    parser.add_argument("--render", action="store_true", help=ui_text("cli_opt_render", lang))
    parser.add_argument("--probe-bots", action="store_true", help=ui_text("cli_opt_probe_bots", lang))
    parser.add_argument("--chromium", metavar="PATH", help="the browser --render drives (default: "
                        "HEALTHGEO_CHROMIUM, else /usr/bin/chromium)")


def render_refused(args: argparse.Namespace) -> bool:
    """True (after one line on stderr) when --render was asked and cannot run here."""
    reason = access_options(args).unavailable()
    if reason:
        print(f"healthgeo: {ui_text('cli_render_unavailable', args.lang or 'en', reason=reason)}", file=sys.stderr)
    return reason is not None
