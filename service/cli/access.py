"""The opt-in access measurements of ``audit`` and ``crawl``: ``--render``, ``--probe-bots``, ``--chromium``."""

from __future__ import annotations

import argparse
import sys

from ..reports.env import ui_text
from .help_texts import HelpTexts


def access_options(args: argparse.Namespace):
    """``--render``, ``--probe-bots`` and ``--chromium`` as :class:`service.page_access.AccessOptions`."""
    from ..audits.page_access import AccessOptions

    return AccessOptions(render=bool(getattr(args, "render", False)),
                         probe_bots=bool(getattr(args, "probe_bots", False)), chromium=getattr(args, "chromium", None))


def add_access_arguments(parser: argparse.ArgumentParser, texts: HelpTexts | None = None) -> None:
    """The opt-in access measurements, shared by ``audit`` and ``crawl`` (help in ``texts``'s language)."""
    texts = texts or HelpTexts()
    parser.add_argument("--render", action="store_true", help=texts.help("access.--render"))
    parser.add_argument("--probe-bots", action="store_true", help=texts.help("access.--probe-bots"))
    parser.add_argument("--chromium", metavar=texts.metavar("PATH"), help=texts.help("access.--chromium"))


def render_refused(args: argparse.Namespace) -> bool:
    """True (after one line on stderr) when --render was asked and cannot run here."""
    reason = access_options(args).unavailable()
    if reason:
        print(f"healthgeo: {ui_text('cli_render_unavailable', args.lang or 'en', reason=reason)}", file=sys.stderr)
    return reason is not None
