"""The command line's help and argparse's own words (usage, headings, -h, errors) in English and French, from
service/cli/i18n: the same keys and placeholders in both, French typography, the language of --lang (anywhere in
the command line) or HEALTHGEO_LANG, and no English sentence in the French help."""

from __future__ import annotations

import argparse
import re

import pytest

from scoring.i18n import placeholders, translation_problems
from service.cli.help_texts import HelpTexts, LocalizedParser, help_catalogue
from service.cli.lang import requested_language
from service.cli.main import build_parser, main

EN, FR = help_catalogue("en"), help_catalogue("fr")
NBSP = "\u00a0"
IDENTIFIER = re.compile(r"[A-Z][A-Z_]*")  # a metavar such as N, URL: the same word in every language
MIN_WORDS = 4
COMMANDS = [[], ["audit"], ["crawl"], ["worker"], ["fix"], ["keys"], ["keys", "create"], ["keys", "list"],
            ["keys", "revoke"]]


@pytest.fixture(autouse=True)
def _wide_terminal_english_default(monkeypatch):
    monkeypatch.delenv("HEALTHGEO_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "1000")  # no wrapping: a sentence stays on one line, whole


def _flat(text: str) -> str:
    """Runs of spaces and line breaks as one space; the no-break spaces of French typography kept."""
    return re.sub(r"[ \n]+", " ", text).strip()


def _help(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 0
    return _flat(capsys.readouterr().out)


def _error(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    return capsys.readouterr().err


def english_clauses() -> set[str]:
    """The English catalogue's runs of four words or more between punctuation and placeholders."""
    clauses = set()
    for text in EN.values():
        for run in re.split(r"\{[^{}]*\}|[;:(),\n]|\. ", text):
            run = _flat(run).strip(" .'`")
            if len(run.split()) >= MIN_WORDS:
                clauses.add(run)
    return clauses


def test_same_keys_and_placeholders():
    assert translation_problems(EN, FR) == []


@pytest.mark.parametrize("key", sorted(EN))
def test_every_french_text_is_translated(key):
    assert FR[key] != EN[key] or IDENTIFIER.fullmatch(EN[key]), key


@pytest.mark.parametrize("key", sorted(FR))
def test_french_typography(key):
    text = FR[key]
    assert not re.search(r"(?<![\u00a0\u202f])[:;?!](?=\s|$)", text), text
    assert "'" not in text, text
    assert not re.search(r"«(?!\u00a0)|(?<!\u00a0)»", text), text


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_in_french_from_lang_or_environment(command, capsys, monkeypatch):
    by_option = _help([*command, "--help", "--lang", "fr"], capsys)
    monkeypatch.setenv("HEALTHGEO_LANG", "fr")
    by_environment = _help([*command, "--help"], capsys)
    assert by_option == by_environment
    assert by_option.startswith(f"utilisation{NBSP}: healthgeo")
    assert f"options{NBSP}:" in by_option and FR["argparse.--help"] in by_option
    english = [clause for clause in english_clauses() if clause in by_option]
    assert not english, english
    key = ".".join(command) or "healthgeo"
    own = [k for k in FR if k.startswith(key + ".") and k.count(".") == key.count(".") + 1
           and not k.endswith(".help") and not placeholders(FR[k])]
    for k in own:  # the command's description, epilog, options and positionals, as written in French
        assert _flat(FR[k]) in by_option, k


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_in_english_by_default(command, capsys):
    text = _help([*command, "--help"], capsys)
    assert text.startswith("usage: healthgeo") and "options:" in text and EN["argparse.--help"] in text
    assert "utilisation" not in text


def test_lang_after_the_option_or_with_an_equals_sign(capsys):
    assert _help(["audit", "--help", "--lang=fr"], capsys) == _help(["audit", "--lang", "fr", "-h"], capsys)
    assert requested_language(["keys", "--lang", "fr", "create"]) == "fr"
    assert requested_language(["audit", "--lang", "fr", "--lang", "en"]) == "en"  # argparse keeps the last
    assert requested_language(["audit", "--", "--lang", "fr"]) == "en"  # after --, an input
    assert requested_language(["audit", "--lang"]) == "en"


def test_lang_before_the_command(capsys, tmp_path):
    assert _help(["--lang", "fr", "--help"], capsys).startswith(f"utilisation{NBSP}: healthgeo")
    assert _help(["--lang", "fr", "audit", "--help"], capsys) == _help(["audit", "--help", "--lang", "fr"], capsys)
    assert main(["--lang", "fr", "fix", str(tmp_path / "absent.html")]) == 2
    assert "fichier introuvable" in capsys.readouterr().err
    assert main(["--lang", "fr", "audit", str(tmp_path / "absent.html"), "--lang", "en"]) == 2  # the last wins
    assert "no such file" in capsys.readouterr().err
    assert build_parser("fr").parse_args(["--lang", "fr", "keys", "list"]).lang == "fr"


def test_build_parser_without_arguments_follows_the_environment(monkeypatch):
    assert build_parser().format_help().startswith("usage: ")
    monkeypatch.setenv("HEALTHGEO_LANG", "fr")
    assert build_parser().format_help().startswith(f"utilisation{NBSP}: ")
    assert build_parser("en").format_help().startswith("usage: ")


def test_invalid_choice_in_french_and_in_english(capsys):
    err = _error(["fix", "x", "--format", "text", "--lang", "fr"], capsys)
    assert err.startswith(f"utilisation{NBSP}: healthgeo fix ")
    assert err.endswith(f"healthgeo fix{NBSP}: erreur{NBSP}: argument --format{NBSP}: choix invalide{NBSP}: "
                        f"'text' (valeurs possibles{NBSP}: 'script', 'json')\n")
    err = _error(["fix", "x", "--format", "text"], capsys)
    assert err.endswith("healthgeo fix: error: argument --format: invalid choice: 'text' "
                        "(choose from 'script', 'json')\n")


@pytest.mark.parametrize("argv, french", [
    (["audit"], f"arguments obligatoires manquants{NBSP}: ENTRÉE"),
    (["audit", "page.html", "--bogus"], f"arguments non reconnus{NBSP}: --bogus"),
    (["audit", "page.html", "--fail-under", "abc"], f"--fail-under{NBSP}: valeur invalide pour le type float"),
    (["audit", "page.html", "-o"], f"-o/--output{NBSP}: un argument attendu"),
    (["crawl", "--sitemap", "--urls", "list.txt"], "incompatible avec l’argument --sitemap"),
    (["keys", "create"], f"arguments obligatoires manquants{NBSP}: --name"),
    (["nothing"], f"argument command{NBSP}: choix invalide{NBSP}: 'nothing'"),
])
def test_argparse_errors_in_french(argv, french, capsys):
    err = _error([*argv, "--lang", "fr"], capsys)
    assert french in err and "error" not in err
    assert f"{NBSP}: erreur{NBSP}: " in err.splitlines()[-1]


@pytest.mark.parametrize("key", sorted(k for k in EN if k.startswith("argparse.message.")))
def test_every_argparse_message_is_read_back_as_its_own(key):
    values = {name: f"V{i}" for i, (name, _) in enumerate(placeholders(EN[key]))}
    english = HelpTexts("en").text(key, **values)
    assert HelpTexts("fr").message(english) == HelpTexts("fr").text(key, **values) != english
    assert HelpTexts("en").message(english) == english


def test_an_unknown_message_stays_as_argparse_wrote_it():
    assert HelpTexts("fr").message("something argparse says one day") == "something argparse says one day"


def _parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_option_and_command_has_a_help_text(lang):
    for parser in _parsers(build_parser(lang)):
        assert isinstance(parser, LocalizedParser) and parser.texts.lang == lang, parser.prog
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):  # a list of commands: each one has its help
                assert all(choice.help for choice in action._choices_actions), parser.prog
            else:
                assert action.help and action.help != argparse.SUPPRESS, (parser.prog, action.dest)


def test_a_literal_percent_sign_is_printed_once():
    texts = HelpTexts("en")
    texts.catalogue = {**texts.catalogue, "test.--share": "pages under 50% of the site"}
    parser = LocalizedParser(prog="test", texts=texts)
    parser.add_argument("--share", help=texts.help("test.--share"))
    assert "pages under 50% of the site" in parser.format_help()
