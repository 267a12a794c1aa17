"""The command line's help, in English and French, from data (``service/cli/i18n/<lang>.json``).

Keys name a command and an option (``audit.--format``, ``keys.create.--scope``, ``crawl.url`` for a positional),
or argparse's own words (``argparse.usage``, ``argparse.heading.<its English title>``, ``argparse.--help``,
``argparse.error``); ``argparse.message.*`` are argparse's English error messages as templates, each read as a
pattern that gives back its parameters, so that the French one can be written with them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from functools import cache, partial
from importlib import resources
from typing import Any, NoReturn

from scoring.i18n import format_message, supported_language

from ..messages import template_pattern
from .lang import default_language

__all__ = ["HelpTexts", "LocalizedFormatter", "LocalizedParser", "add_command", "help_catalogue"]

MESSAGE_KEYS = "argparse.message."


@cache
def help_catalogue(lang: str) -> dict[str, str]:
    """The help texts of ``lang`` (English for a language the command line does not speak); shared: read only."""
    path = resources.files("service.cli").joinpath("i18n", f"{supported_language(lang)}.json")
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _english_messages() -> list[tuple[re.Pattern[str], str]]:
    return [(template_pattern(template), key) for key, template in help_catalogue("en").items()
            if key.startswith(MESSAGE_KEYS)]


class HelpTexts:
    """The help texts of one language."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang = supported_language(lang or default_language())
        self.catalogue = help_catalogue(self.lang)

    def __contains__(self, key: str) -> bool:
        return key in self.catalogue

    def text(self, key: str, **params: Any) -> str:
        """A text printed as it is: a description, an epilog, a heading, the error line."""
        return format_message(self.catalogue[key], params, self.lang)

    def help(self, key: str, **params: Any) -> str:
        """An option's or a command's help: argparse %-formats those, so a literal % is doubled here, once."""
        return self.text(key, **params).replace("%", "%%")

    def metavar(self, name: str) -> str:
        """An argument's placeholder: its word in this language (FILE, INPUT), or the symbol itself (N, URL)."""
        return self.catalogue.get(f"metavar.{name}", name)

    def message(self, english: str) -> str:
        """One of argparse's English error messages in this language; a message the catalogue does not know stays
        English. A parameter named ``message`` is itself a message (``argument --format: invalid choice: ...``)."""
        if self.lang == "en":
            return english
        for pattern, key in _english_messages():
            found = pattern.match(english)
            if found:
                params = found.groupdict()
                if "message" in params:
                    params["message"] = self.message(params["message"])
                return self.text(key, **params)
        return english


class LocalizedFormatter(argparse.HelpFormatter):
    """Words the usage prefix and the section headings from the help texts; a description or epilog written on
    several lines (the exit codes' table) keeps its lines, as with argparse's RawDescriptionHelpFormatter."""

    def __init__(self, prog: str, *args: Any, texts: HelpTexts | None = None, **kwargs: Any) -> None:
        super().__init__(prog, *args, **kwargs)
        self.texts = texts or HelpTexts()

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        if prefix is None:  # argparse passes "" when it wants only the prog (a sub-command's), no prefix
            prefix = self.texts.text("argparse.usage") + " "
        super().add_usage(usage, actions, groups, prefix)

    def start_section(self, heading) -> None:
        # the data holds the heading as printed ("options:", "options\u00a0:"); argparse adds the colon itself
        key = f"argparse.heading.{heading}"
        super().start_section(self.texts.text(key).removesuffix(":") if key in self.texts else heading)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class LocalizedParser(argparse.ArgumentParser):
    """An argument parser whose help, usage and errors speak ``texts``'s language, and its sub-commands too."""

    def __init__(self, *args: Any, texts: HelpTexts | None = None, **kwargs: Any) -> None:
        self.texts = texts or HelpTexts()
        super().__init__(*args, formatter_class=partial(LocalizedFormatter, texts=self.texts), add_help=False,
                         **kwargs)
        self.add_argument("-h", "--help", action="help", help=self.texts.help("argparse.--help"))

    def add_subparsers(self, **kwargs: Any):
        kwargs.setdefault("parser_class", partial(type(self), texts=self.texts))
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        """Usage, then ``prog: error: message`` in the help's language; exit status 2, as argparse does."""
        self.print_usage(sys.stderr)
        self.exit(2, self.texts.text("argparse.error", prog=self.prog, message=self.texts.message(message)) + "\n")


def add_command(subparsers: Any, name: str, texts: HelpTexts, key: str | None = None,
                **kwargs: Any) -> argparse.ArgumentParser:
    """The sub-command ``name`` with its help line and, when the texts have one, its description
    (``<key>.help``, ``<key>.description``; ``key`` is ``name`` unless the command is nested)."""
    key = key or name
    if f"{key}.description" in texts:
        kwargs["description"] = texts.text(f"{key}.description")
    return subparsers.add_parser(name, help=texts.help(f"{key}.help"), **kwargs)
