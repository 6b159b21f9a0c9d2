"""Arbitrary command lines (hypothesis): each subcommand's options in any order, with
any values (text with newlines, NUL or lone surrogates, numbers far too large or
negative, impossible dates, case numbers that exist and that do not), repeated,
missing or in the wrong place.

``main`` runs in-process, signed in as the president of the demo court. It either
succeeds (exit 0), or prints one line in Chinese on stderr and exits non-zero
(2 for a usage error, 1 for a refusal): never a traceback or an internal error
(exit 70), and a refused command adds no audit row.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from courtdesk.cli import EXIT_CONFLICTS, EXIT_INTERNAL, _one_line, build_parser, main
from tests.properties.test_bad_input import DATES, FEW, TEXT
from tests.properties.test_bad_input_features import HAN, audit_rows

SOME = settings(FEW, max_examples=80)
ARGPARSE_ENGLISH = re.compile(
    r"\b(arguments?|expected|invalid|ambiguous|allowed|required|ignored|unrecognized|usage)\b"
)

# The subcommands tried (--db is given; --user is left to the environment).
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("fee",),
    ("lending",),
    ("period",),
    ("case", "show"),
    ("case", "time-limit"),
    ("hearing", "list"),
    ("hearing", "check"),
    ("service", "show"),
    ("service", "record"),
    ("lpr", "add"),
    ("holidays", "show"),
    ("notice",),
    ("backup",),
    ("user", "add"),
)


def subparser(words: tuple[str, ...]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = build_parser()
    for word in words:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[word]
    return parser


def arguments(words: tuple[str, ...]) -> list[argparse.Action]:
    """The subcommand's options and positionals as argparse knows them (not --db, --user)."""
    return [
        a
        for a in subparser(words)._actions
        if not set(a.option_strings) & {"-h", "--help", "--db", "--user"}
    ]


CASE = "（2026）吉0193民初1号"
VALUES = st.one_of(
    TEXT,
    st.sampled_from(
        [CASE, "(2026)吉0193民初1号", "SD000000018", "guardianship", "summons", "judgment"]
    ),
    st.sampled_from(["2026-11-20", "2026-02-30", "0000-01-01", "9999-12-31", "2026-11-20T09:00"]),
    DATES.map(str),
    st.integers().map(str),
    st.sampled_from(["1e999", "nan", "-0", "10000000000000000000000", "15.4", "１００"]),
    st.sampled_from(["", "-", "--", "-h", "--version", "a\nb", "\x00", "\ud800", "x" * 300]),
)


# Values some option takes as given (a date, a number, a case, a name …), so that
# command lines get past argparse often enough to reach the services.
PLAUSIBLE = (
    CASE,
    "2026-11-20",
    "2026-11-23T09:00",
    "1000",
    "15.4",
    "7",
    "2026",
    "1",
    "赵堃",
    "民事审判第一庭",
    "第一法庭",
    "out.pdf",
    "backup.sqlite3",
    "2021-06-01:5000",
    "zhangsan",
)


def _takes(action: argparse.Action, text: str) -> bool:
    try:
        value = action.type(text) if callable(action.type) else text
    except (argparse.ArgumentTypeError, TypeError, ValueError):
        return False
    return not action.choices or value in action.choices


def value_for(action: argparse.Action) -> st.SearchStrategy[str]:
    good = [str(c) for c in action.choices or ()] or [v for v in PLAUSIBLE if _takes(action, v)]
    if not good:
        return VALUES
    # One value in four is anything (one_of would flatten VALUES' branches and drown the good ones).
    return st.integers(0, 3).flatmap(lambda i: VALUES if i == 0 else st.sampled_from(good))


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A subcommand with its required arguments and any of its other options, each
    with a value of its kind (a choice it offers) or any value; sometimes a stray word."""
    words = draw(st.sampled_from(COMMANDS))
    actions = arguments(words)
    chosen = [a for a in actions if a.required or not a.option_strings]
    chosen += draw(st.lists(st.sampled_from([a for a in actions if a.option_strings]), max_size=3))
    tokens: list[str] = []
    for action in chosen:
        value = [] if action.nargs == 0 else [draw(value_for(action))]
        tokens += [action.option_strings[0], *value] if action.option_strings else value
    if draw(st.integers(0, 4)) == 0:
        tokens.insert(draw(st.integers(0, len(tokens))), draw(VALUES))
    return [*words, *tokens]


def with_database(argv: list[str], path: Path) -> list[str]:
    """``--db`` right after the subcommand's words, before anything arbitrary."""
    words = next(w for w in COMMANDS if tuple(argv[: len(w)]) == w)
    return [*words, "--db", str(path), *argv[len(words) :]]


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse: usage errors (2), --help and --version (0)
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def signed_in(
    demo_path: Path,
    tmp_path: Path,
    cli_sign_in: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """The demo database, with the command line signed in as its president; files a
    command writes by a relative name land in a temporary folder."""
    cli_sign_in(demo_path)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return demo_path


@SOME
@given(command_lines())
@example(["hearing", "list", "--room", "\ud800"])  # an undecodable room name crashed
@example(  # an undecodable judge's name crashed the same way
    [
        *("hearing", "check", "--case", "（2025）吉0193民初131号"),
        *("--start", "2026-12-10T09:00", "--online", "--judge", "\ud800"),
    ]
)
@example(["fee", "--kind", "a\nb"])  # a value with a line break, in a usage error
@example(["period", "--start", "2026-11-20", "--days", "1\n2"])  # used to be cut at the break
@example(["fee", "--kind", "property", "--amount", "100", ""])  # argparse's English showed
@example(["case", "show", "（2026）吉0193民初1号\n"])  # a refusal broken over two lines
@example(["hearing", "list", "--announcement", "--day", "9999-12-31", "--days", "9"])
@example(["period", "--start", "9999-12-31", "--days", "10000000000000000000000"])
# a check that finds conflicts lists them and exits with EXIT_CONFLICTS (found by hypothesis)
@example(
    ["hearing", "check", "--case", "（2026）吉0193民初1号", "--start", "2026-11-20", "--online"]
)
def test_any_command_line_succeeds_or_gives_one_chinese_line(
    signed_in: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    before = audit_rows(signed_in)
    code, out, err = run(capsys, with_database(argv, signed_in))
    command = " ".join(next(w for w in COMMANDS if tuple(argv[: len(w)]) == w))
    event(f"exit {code}")
    if code == 0:
        event(f"{command}: succeeded")
        return
    if code == EXIT_CONFLICTS and command == "hearing check":
        # an answer, not a refusal: the conflicts are listed on stdout, nothing stored
        assert "项冲突" in out and not err and audit_rows(signed_in) == before, (out, err)
        event(f"{command}: conflicts")
        return
    assert code != EXIT_INTERNAL, err
    assert "Traceback" not in err, err
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1, err
    assert re.match(r"^courtdesk[\w -]*: 错误：", lines[0]), err
    said = lines[0].split("错误：", 1)[1]
    assert HAN.search(said), err
    # argparse's own English must not show through (what was typed may be anything).
    for token in sorted(argv, key=len, reverse=True):
        said = said.replace(_one_line(token), "").replace(repr(token), "")
    assert not ARGPARSE_ENGLISH.search(said), err
    assert audit_rows(signed_in) == before


def test_a_value_with_a_line_break_is_shown_whole_on_one_line(
    signed_in: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The usage error used to stop at the break: 「1（用 --help 查看用法）."""
    code, _out, err = run(capsys, ["period", "--start", "2026-11-20", "--days", "1\n2"])
    assert code == 2
    assert err == "courtdesk period: 错误：参数 --days：「1\\n2」不是整数（用 --help 查看用法）\n"
