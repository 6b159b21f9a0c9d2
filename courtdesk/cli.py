"""The ``courtdesk`` command line: a thin layer over the same services the GUI uses.

``courtdesk`` alone opens the GUI. Every subcommand has ``--help``; ``--db``
defaults to the user's database; errors are one clear line on stderr and a
non-zero exit code, never a traceback (unexpected ones are logged to a file).

Signing in: every command that reads or changes the court's records signs in
like the window does, as ``--user`` (or ``$COURTDESK_USER``) with the password
from ``$COURTDESK_PASSWORD`` or, at a terminal, typed at a prompt. Reading needs
it too, because cases heard in private are shown only to the people assigned to
them. ``init``, ``demo`` and ``check`` need no sign-in (``check`` must work on a
file too damaged to sign in to).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from courtdesk import __version__
from courtdesk.errors import CourtdeskError
from courtdesk.paths import default_database, log_dir

if TYPE_CHECKING:
    from courtdesk.services.workspace import Workspace

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

Handler = Callable[[argparse.Namespace], int]

_ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.+)"), "缺少必需的参数：{0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "无法识别的参数：{0}"),
    (
        re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"),
        "参数 {0} 的值 {1} 无效，可选：{2}",
    ),
    (re.compile(r"argument (\S+): invalid (\S+) value: (.+)"), "参数 {0} 的值 {2} 无效"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 需要一个值"),
    (re.compile(r"argument (\S+): (.+)"), "参数 {0}：{1}"),
)


def _one_line(text: str) -> str:
    """A message as one line: line breaks inside typed values are shown as \\n, not broken on."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


class Parser(argparse.ArgumentParser):
    """argparse with usage errors as one Chinese line (exit 2) instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        # On one line first: a value with a line break in it must not cut the message
        # short (the patterns' ``.`` stops at one), and an empty value is still shown.
        message = _one_line(message)
        for pattern, template in _ARGPARSE_MESSAGES:
            match = pattern.search(message)
            if match:
                message = template.format(*(g if g.strip() else repr(g) for g in match.groups()))
                break
        self.exit(EXIT_USAGE, f"{self.prog}: 错误：{message}（用 --help 查看用法）\n")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期「{text}」应写作 YYYY-MM-DD") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"「{text}」不是整数") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"「{text}」不能为负数")
    return value


def _at_least_one(text: str) -> int:
    value = _positive_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"「{text}」应至少为 1")
    return value


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"数据库文件（默认：{default_database()}）",
    )


def _db(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_database()


USER_ENV = "COURTDESK_USER"
PASSWORD_ENV = "COURTDESK_PASSWORD"
NEW_PASSWORD_ENV = "COURTDESK_NEW_PASSWORD"


def _add_user(parser: argparse.ArgumentParser) -> None:
    """The command signs in (``_open``): ``--user`` and a password."""
    parser.set_defaults(signs_in=True)
    parser.add_argument(
        "--user",
        default=None,
        help=f"以此用户名登录并操作（默认取环境变量 {USER_ENV}）；"
        f"密码取自环境变量 {PASSWORD_ENV}，未设置时在终端中输入",
    )


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _password(prompt: str, env: str) -> str:
    """A password from ``env`` or typed at the terminal (never an argument: it would show in ps)."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not _interactive():
        raise CourtdeskError(f"需要密码：请设置环境变量 {env}，或在终端中运行此命令以输入密码")
    return getpass.getpass(prompt)


def _new_password(what: str, env: str = NEW_PASSWORD_ENV) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not _interactive():
        raise CourtdeskError(f"需要{what}：请设置环境变量 {env}，或在终端中运行此命令以输入")
    first = getpass.getpass(f"{what}：")
    if getpass.getpass(f"再次输入{what}：") != first:
        raise CourtdeskError("两次输入的密码不一致")
    return first


def _username(args: argparse.Namespace) -> str:
    name = getattr(args, "user", None) or os.environ.get(USER_ENV, "")
    if not name.strip():
        raise CourtdeskError(f"请用 --user 指定用户名（或设置环境变量 {USER_ENV}）")
    return str(name).strip()


def _add_required_user(parser: argparse.ArgumentParser) -> None:
    """For changes an administrator makes: the audit trail must name a person, not the system."""
    parser.set_defaults(signs_in=True)
    parser.add_argument(
        "--user",
        required=True,
        help=f"以此用户名登录并操作（记入操作记录；须为管理员）；密码取自环境变量 {PASSWORD_ENV}，"
        "未设置时在终端中输入",
    )


def _open(args: argparse.Namespace) -> Workspace:
    """The workspace a command works in: ``--db``, signed in as ``--user`` with a password.

    Every subcommand opens its database here, so signing in is decided in one place.
    A command that does not take ``--user`` (see ``_add_user``) runs as a guest, who
    may do only what every role may (the calculators) and reads no case; the
    services refuse anything else with a message asking for ``--user``.
    """
    from courtdesk.services import accounts
    from courtdesk.services.workspace import GUEST, open_workspace

    if not getattr(args, "signs_in", False):
        ws = open_workspace(_db(args))
        ws.actor = GUEST
        return ws
    username = _username(args)
    password = _password(f"用户 {username} 的密码：", PASSWORD_ENV)
    try:
        return accounts.sign_in(_db(args), username, password)
    except accounts.PasswordChangeRequired as error:
        raise CourtdeskError(
            f"{error.message}：请先运行 courtdesk user passwd --user {username}"
        ) from error
    except accounts.AdministratorSetupRequired as error:
        raise CourtdeskError(f"{error.message}：请运行 courtdesk user set-up-admin") from error


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


# ---------------------------------------------------------------- commands
def cmd_gui(args: argparse.Namespace) -> int:
    if getattr(args, "self_check", False):
        return cmd_self_check(args)
    from courtdesk.ui.app import run_gui  # Qt is loaded only for the GUI

    return run_gui(database=args.db, username=args.user)


def cmd_self_check(_args: argparse.Namespace) -> int:
    """Check this installation in a temporary folder: data files, database, 立案, window."""
    from courtdesk.services.selfcheck import run_self_check
    from courtdesk.ui.app import check_window

    steps = run_self_check([("主窗口（无屏幕）", check_window)])
    for step in steps:
        print(f"{'通过' if step.ok else '失败'}  {step.name}：{step.detail}")
    failed = [s for s in steps if not s.ok]
    print("自检通过" if not failed else f"自检失败：{len(failed)} 项")
    return 0 if not failed else EXIT_ERROR


def cmd_init(args: argparse.Namespace) -> int:
    from courtdesk.services.setup import init_court

    password = None
    if os.environ.get(NEW_PASSWORD_ENV) is not None or _interactive():
        password = _new_password("管理员 admin 的密码")
    ws = init_court(_db(args), args.court_name, args.court_code, admin_password=password)
    later = "" if password is not None else "（尚未设置密码：首次登录时设置）"
    print(
        f"已创建 {ws.path}：{args.court_name.strip()}（{args.court_code.strip()}），"
        f"管理员账户 admin{later}"
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from courtdesk.services.demo import fill_demo

    def progress(done: int, total: int) -> None:
        if args.progress:
            print(f"\r已生成 {done:,}/{total:,} 件", end="", file=sys.stderr, flush=True)

    report = fill_demo(
        _db(args),
        args.cases,
        seed=args.seed,
        as_of=args.as_of,
        progress=progress,
        workers=args.workers,
    )
    if args.progress:
        print(file=sys.stderr)
    print(
        f"已在 {report.path} 生成 {report.cases:,} 件演示案件、{report.parties:,} 名当事人、"
        f"{report.agents:,} 名代理人、{report.hearings:,} 次开庭，用时 {report.seconds:.1f} 秒"
    )
    if report.service_tasks:
        print(f"送达：{report.service_tasks:,} 项送达任务、{report.service_attempts:,} 条送达记录")
    return 0


def cmd_case_show(args: argparse.Namespace) -> int:
    from courtdesk.services.cases import find_case

    with _workspace(args) as ws:
        detail = find_case(ws, args.case_number)
    if args.json:
        _print_json(detail.to_dict())
        return 0
    print(f"{detail.case_number}  {detail.cause}  [{detail.status_label}]")
    print(f"  类型：{detail.type_name}（{detail.procedure_label}）  立案日期：{detail.filing_date}")
    print(
        f"  承办人：{detail.presiding_judge or '未分配'}  书记员：{detail.clerk or '未分配'}  "
        f"审限届满：{detail.time_limit_expiry or '—'}"
    )
    if detail.amount_claimed is not None:
        print(f"  诉讼标的：{detail.amount_claimed} 元")
    for party in detail.parties:
        print(f"  {party.role}：{party.name}  {party.address}")
        for agent in party.agents:
            print(f"      代理人：{agent.name}（{agent.law_firm or agent.kind}）")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from courtdesk.services import maintenance

    report = maintenance.check_file(_db(args))
    for line in maintenance.report_lines(report):
        print(line)
    return 0 if report.ok else EXIT_ERROR


def cmd_backup(args: argparse.Namespace) -> int:
    from courtdesk.services import maintenance

    with _workspace(args) as ws:
        result = maintenance.backup(ws, args.out)
    print(
        f"已备份到 {result.path}（{result.size_bytes / 1_048_576:,.1f} MB，"
        f"操作记录 {result.audit_rows:,} 条），校验通过"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from courtdesk.services import maintenance

    with _workspace(args) as ws:
        result = maintenance.restore(ws, args.source)
    print(f"已从 {result.source} 恢复数据库；恢复前的数据库已另存为 {result.safety_copy}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from courtdesk.services import importer

    def progress(done: int, total: int) -> None:
        if args.progress and (done % 500 == 0 or done == total):
            print(f"已导入 {done:,}/{total:,} 件", file=sys.stderr, flush=True)

    with _workspace(args) as ws:
        report = importer.import_cases(ws, args.file, progress)
    print(
        f"已导入 {report.cases:,} 件案件：{report.first_case_number} 至 {report.last_case_number}"
    )
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from courtdesk.services import accounts

    with _workspace(args) as ws:
        people = accounts.list_accounts(ws)
    for person in people:
        print(
            f"{person.username:<20} {person.display_name:<8} {person.roles_label:<12} "
            f"{person.division or '—':<12} {person.state_label}"
        )
    return 0


def _account_id(ws: Workspace, username: str) -> tuple[int, int]:
    from courtdesk.services import accounts

    for person in accounts.list_accounts(ws):
        if person.username == username:
            return person.id, person.version
    raise CourtdeskError(f"用户「{username}」不存在")


def cmd_user_add(args: argparse.Namespace) -> int:
    from courtdesk.services import accounts, reference

    with _workspace(args) as ws:
        division_id = None
        if args.division:
            found = [d.id for d in reference.divisions(ws) if d.name == args.division]
            if not found:
                raise CourtdeskError(f"庭室「{args.division}」不存在")
            division_id = found[0]
        password = _new_password(f"{args.username} 的初始密码")
        draft = accounts.AccountDraft(args.username, args.name, division_id, tuple(args.role))
        accounts.create_account(ws, draft, password)
    print(f"已创建账户 {args.username}（{args.name}）：首次登录时须修改初始密码")
    return 0


def cmd_user_reset(args: argparse.Namespace) -> int:
    from courtdesk.services import accounts

    with _workspace(args) as ws:
        user_id, _ = _account_id(ws, args.username)
        accounts.reset_password(ws, user_id, _new_password(f"{args.username} 的临时密码"))
    print(f"已重置 {args.username} 的密码并解除锁定：下次登录时须修改密码")
    return 0


def cmd_user_unlock(args: argparse.Namespace) -> int:
    from courtdesk.services import accounts

    with _workspace(args) as ws:
        user_id, _ = _account_id(ws, args.username)
        accounts.unlock_account(ws, user_id)
    print(f"已解除 {args.username} 的锁定")
    return 0


def cmd_user_passwd(args: argparse.Namespace) -> int:
    """Change one's own password; also how a reset password is replaced from the CLI."""
    from courtdesk.services import accounts

    username = _username(args)
    old = _password(f"用户 {username} 的当前密码：", PASSWORD_ENV)
    new = _new_password("新密码")
    try:
        ws = accounts.sign_in(_db(args), username, old)
    except accounts.PasswordChangeRequired:
        # A reset password: signing in with the new one replaces it.
        accounts.sign_in(_db(args), username, old, new_password=new).close()
    else:
        try:
            accounts.change_password(ws, old, new)
        finally:
            ws.close()
    print(f"已修改 {username} 的密码")
    return 0


def cmd_user_set_up_admin(args: argparse.Namespace) -> int:
    from courtdesk.services import accounts

    ws = accounts.set_up_administrator(_db(args), _new_password("系统管理员密码"))
    ws.close()
    print(f"已设置系统管理员 {ws.actor.username} 的密码")
    return 0


def cmd_case_time_limit(args: argparse.Namespace) -> int:
    from courtdesk.services.time_limits import case_time_limit_by_number

    with _workspace(args) as ws:
        view = case_time_limit_by_number(ws, args.case_number, args.as_of)
    if args.json:
        _print_json(view.to_dict())
        return 0
    r = view.result
    print(f"{view.case_number}  [{view.status_label}]  审限状态：{r.state.label}")
    if r.tracked:
        expiry = r.expiry.isoformat() if r.expiry else "—"
        if r.provisional:
            expiry += "（暂定，扣除期间尚未结束）"
        left = "" if r.days_left is None else f"  剩余 {r.days_left} 天"
        print(f"  审限届满日：{expiry}  已用 {r.days_used} 天{left}  扣除 {r.excluded_days} 日")
    for step in r.steps:
        print(f"  · {step}")
    if view.timeline:
        print("  时间线：")
        for entry in view.timeline:
            who = f"（{entry.actor}）" if entry.actor else ""
            detail = f"：{entry.detail}" if entry.detail else ""
            print(f"    {entry.day}  {entry.title}{detail}{who}")
    return 0


# ---------------------------------------------------------------- calculators
def _open_optional(args: argparse.Namespace) -> Workspace | None:
    """The court's database if there is one (its settings, LPR and holidays), else None.

    The calculators also work on a machine without a database: then the law's
    defaults, the shipped LPR table and the holiday package alone are used, and
    the output says so.
    """
    if args.db is None and not default_database().exists():
        return None
    return _open(args)


@contextmanager
def _workspace(args: argparse.Namespace) -> Iterator[Workspace]:
    """The command's workspace, closed when the command is done."""
    ws = _open(args)
    try:
        yield ws
    finally:
        ws.close()


@contextmanager
def _optional_workspace(args: argparse.Namespace) -> Iterator[Workspace | None]:
    """Like ``_workspace``, but None when there is no database (see ``_open_optional``)."""
    ws = _open_optional(args)
    try:
        yield ws
    finally:
        if ws is not None:
            ws.close()


def _without_database_note(ws: Workspace | None, what: str) -> None:
    if ws is None:
        print(f"（未找到数据库：{what}）", file=sys.stderr)


def _amount(text: str) -> Decimal:
    """An amount of yuan; a negative one is passed on so the calculator can say why it is refused."""
    from courtdesk.domain.money import parse_signed_amount

    parsed = parse_signed_amount(text)
    if isinstance(parsed, str):
        raise argparse.ArgumentTypeError(
            f"金额{parsed}" if "「" in parsed else f"金额「{text}」{parsed}"
        )
    return parsed


def cmd_fee(args: argparse.Namespace) -> int:
    from courtdesk.domain.fees import Exemption
    from courtdesk.domain.money import format_yuan
    from courtdesk.services.fees import compute_fee

    with _optional_workspace(args) as ws:
        result = compute_fee(
            ws,
            args.kind,
            args.amount,
            args.procedure,
            mediated_or_withdrawn=args.mediated,
            counterclaim=args.counterclaim,
            exemption=Exemption(args.exempt) if args.exempt else None,
        )
    if args.json:
        _print_json(result.to_dict())
        return 0
    _without_database_note(ws, "幅度内的收费标准按法定下限计算")
    amount = (
        ""
        if result.amount is None
        else f"，{result.kind.amount_label} {format_yuan(result.amount)} 元"
    )
    print(f"{result.title}（{result.procedure.label}{amount}）")
    for line in result.explain():
        print(f"  {line}")
    return 0


def _rate(text: str) -> Decimal:
    """An annual rate in percent: ``15.4`` or ``15.4%``."""
    cleaned = text.strip().removesuffix("%").removesuffix("％")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        raise argparse.ArgumentTypeError(f"年利率「{text}」应写作百分数，如 15.4") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"年利率「{text}」应写作百分数，如 15.4")
    return value


def _repayment(text: str) -> tuple[date, Decimal]:
    """``2021-06-01:5000`` → (date, amount)."""
    day_text, _, amount_text = text.partition(":")
    if not amount_text:
        raise argparse.ArgumentTypeError(f"还款「{text}」应写作 日期:金额，如 2021-06-01:5000")
    return _date(day_text), _amount(amount_text)


def cmd_lending(args: argparse.Namespace) -> int:
    from courtdesk.domain.lending import LoanTerms, Repayment
    from courtdesk.domain.money import format_percent, format_yuan
    from courtdesk.services.lending import interest

    terms = LoanTerms(
        principal=args.principal,
        formed=args.formed,
        start=args.start or args.formed,
        end=args.end,
        loan_rate=args.rate,
        overdue_rate=args.overdue_rate,
        due=args.due,
        filed=args.filed,
        repayments=tuple(Repayment(day, amount) for day, amount in args.repay),
        principal_first=args.principal_first,
    )
    with _optional_workspace(args) as ws:
        result = interest(ws, terms)
    if args.json:
        _print_json(result.to_dict())
        return 0
    _without_database_note(ws, "按内置LPR表和默认计息方法计算")
    print(f"民间借贷利息计算：本金 {format_yuan(terms.principal)} 元，合同成立日 {terms.formed}")
    for line in result.caps:
        print(f"  {line}")
    for p in result.periods:
        print(
            f"  {p.first} 至 {p.last}，{p.days} 天，本金 {format_yuan(p.principal)} 元，"
            f"{p.phase.label}约定 {format_percent(p.agreed_rate)}、"
            f"支持 {format_percent(p.supported_rate)}：利息 {format_yuan(p.interest)} 元"
        )
    for repayment in result.repayments:
        print(f"  {repayment.text}")
    for line in [*result.summary(), *result.notes]:
        print(f"  {line}")
    return 0


def cmd_period(args: argparse.Namespace) -> int:
    from courtdesk.domain.periods import PeriodKind
    from courtdesk.services.holidays import period

    if not args.days and not args.months:
        raise CourtdeskError("请用 --days 或 --months 给出期间长度（大于零）")
    with _optional_workspace(args) as ws:
        result = period(
            ws,
            args.start,
            days=args.days,
            months=args.months,
            kind=PeriodKind.COURT if args.court else PeriodKind.PARTY,
        )
    if args.json:
        _print_json(result.to_dict())
        return 0
    _without_database_note(ws, "仅用内置节假日数据")
    flag = "（该年节假日未录入，仅按周末计算，请核实）" if result.uncertain else ""
    print(f"期间届满日：{result.last_day.isoformat()}（{_weekday(result.last_day)}）{flag}")
    print(f"  {result.kind.label}")
    for reason in result.reasons:
        print(f"  {reason}")
    return 0


def _weekday(day: date) -> str:
    return "星期" + "一二三四五六日"[day.weekday()]


def cmd_lpr_list(args: argparse.Namespace) -> int:
    from courtdesk.services.lending import lpr_table

    with _optional_workspace(args) as ws:
        table = lpr_table(ws)
    rows = table.fixings if args.all else table.change_points()
    if args.json:
        _print_json(
            {
                "fixings": [
                    {"date": f.day.isoformat(), "rate": str(f.rate), "entered_by": f.entered_by}
                    for f in rows
                ],
                "known_through": table.known_through.isoformat(),
            }
        )
        return 0
    _without_database_note(ws, "仅列出内置报价")
    for f in rows:
        source = f"本院录入（{f.entered_by}）" if f.entered_by else "内置"
        print(f"{f.day}  {f.rate:>5}%  四倍 {f.cap:>6}%  {source}")
    print(f"已知至 {table.known_through}（最近一次报价 {table.last_fixing.day}）")
    return 0


def cmd_lpr_add(args: argparse.Namespace) -> int:
    from courtdesk.services.lending import enter_lpr

    with _workspace(args) as ws:
        enter_lpr(ws, args.date, args.rate)
    print(f"已录入 {args.date} 一年期LPR {args.rate}%")
    return 0


def cmd_lpr_delete(args: argparse.Namespace) -> int:
    from courtdesk.services.lending import delete_lpr

    with _workspace(args) as ws:
        delete_lpr(ws, args.date)
    print(f"已删除本院录入的 {args.date} LPR报价")
    return 0


def cmd_holidays_show(args: argparse.Namespace) -> int:
    from courtdesk.services.holidays import year_schedule

    with _workspace(args) as ws:
        schedule = year_schedule(ws, args.year)
    if args.json:
        _print_json(
            {
                "year": schedule.year,
                "source": schedule.source,
                "days": [
                    {"date": d.day.isoformat(), "working": d.working, "name": d.name}
                    for d in schedule.days
                ],
            }
        )
        return 0
    print(f"{schedule.year} 年：{schedule.source_label}")
    for d in schedule.days:
        print(f"  {d.day}  {_weekday(d.day)}  {d.kind_label}  {d.name}")
    return 0


def cmd_holidays_import(args: argparse.Namespace) -> int:
    from courtdesk.services.holidays import import_year

    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise CourtdeskError(f"无法读取文件 {args.file}：{error.strerror}") from None
    except UnicodeDecodeError:
        raise CourtdeskError(f"文件 {args.file} 不是 UTF-8 编码的文本") from None
    with _workspace(args) as ws:
        count = import_year(ws, args.year, text, json_format=args.file.suffix.lower() == ".json")
    print(f"已导入 {args.year} 年节假日安排 {count} 天")
    return 0


def _calculator_commands(commands: Any) -> None:
    from courtdesk.domain.fees import Exemption, FeeKind, FeeProcedure

    fee = commands.add_parser(
        "fee",
        help="计算诉讼费",
        description="按《诉讼费用交纳办法》计算案件受理费或申请费，逐档列明计算过程。"
        "幅度内的具体标准和减半是否叠加取本院设置。",
    )
    _add_db(fee)
    fee.add_argument(
        "--kind",
        required=True,
        choices=[k.value for k in FeeKind],
        metavar="类别",
        help="、".join(f"{k.value}={k.label}" for k in FeeKind),
    )
    fee.add_argument(
        "--amount", type=_amount, default=None, help="金额（元）：诉讼标的额、执行金额等"
    )
    fee.add_argument(
        "--procedure",
        default=FeeProcedure.ORDINARY.value,
        help="ordinary=普通程序（默认）、summary=简易程序（含小额诉讼）、special=特别程序；"
        "也可写程序代码如 civil_summary",
    )
    fee.add_argument("--mediated", action="store_true", help="调解结案或撤诉（减半）")
    fee.add_argument("--counterclaim", action="store_true", help="反诉或第三人请求（减半）")
    fee.add_argument(
        "--exempt",
        choices=[e.value for e in Exemption],
        metavar="免交情形",
        help="、".join(f"{e.value}={e.label}" for e in Exemption),
    )
    fee.add_argument("--json", action="store_true", help="以 JSON 输出")
    fee.set_defaults(handler=cmd_fee)

    lending = commands.add_parser(
        "lending",
        help="计算民间借贷利息",
        description="按《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》（2020）"
        "判断利率上限，分段计算支持的利息，并按先息后本抵充还款。利率为年利率（%）。",
    )
    _add_db(lending)
    lending.add_argument("--principal", type=_amount, required=True, help="借款本金（元）")
    lending.add_argument("--formed", type=_date, required=True, help="合同成立日 YYYY-MM-DD")
    lending.add_argument(
        "--rate", type=_rate, default=None, help="约定的借期内年利率（%%），不写表示未约定利息"
    )
    lending.add_argument(
        "--overdue-rate", type=_rate, default=None, help="约定的逾期年利率（%%，含违约金等）"
    )
    lending.add_argument("--due", type=_date, default=None, help="还款期限（借期届满日）")
    lending.add_argument(
        "--from", dest="start", type=_date, default=None, help="计息起始日（默认合同成立日）"
    )
    lending.add_argument("--to", dest="end", type=_date, required=True, help="计算截止日")
    lending.add_argument("--filed", type=_date, default=None, help="起诉日")
    lending.add_argument(
        "--repay",
        type=_repayment,
        action="append",
        default=[],
        metavar="日期:金额",
        help="一笔还款，如 2021-06-01:5000；可重复",
    )
    lending.add_argument(
        "--principal-first", action="store_true", help="当事人约定还款先抵本金（默认先息后本）"
    )
    lending.add_argument("--json", action="store_true", help="以 JSON 输出")
    lending.set_defaults(handler=cmd_lending)

    period = commands.add_parser(
        "period",
        help="计算期间届满日",
        description="从起算日次日起计算期间的最后一日；当事人期间遇节假日顺延到节后第一个工作日"
        "（民诉法第85条），法院期限（--court）不顺延。",
    )
    _add_db(period)
    period.add_argument("--start", type=_date, required=True, help="起算日（当日不计入）")
    period.add_argument("--days", type=_positive_int, default=0, help="期间天数")
    period.add_argument("--months", type=_positive_int, default=0, help="期间月数")
    period.add_argument("--court", action="store_true", help="法院自身的期限：不因节假日顺延")
    period.add_argument("--json", action="store_true", help="以 JSON 输出")
    period.set_defaults(handler=cmd_period)

    lpr = commands.add_parser(
        "lpr", help="一年期LPR报价表", description="查看或录入一年期贷款市场报价利率（LPR）。"
    )
    lpr_commands = lpr.add_subparsers(
        title="子命令", metavar="命令", parser_class=Parser, required=True
    )
    lpr_list = lpr_commands.add_parser("list", help="列出报价", description="列出 LPR 变动点。")
    _add_db(lpr_list)
    lpr_list.add_argument("--all", action="store_true", help="列出每一次报价（含未变动的）")
    lpr_list.add_argument("--json", action="store_true", help="以 JSON 输出")
    lpr_list.set_defaults(handler=cmd_lpr_list)
    lpr_add = lpr_commands.add_parser(
        "add", help="录入报价（管理员）", description="录入一次一年期LPR报价；同日已有则替换。"
    )
    _add_db(lpr_add)
    _add_required_user(lpr_add)
    lpr_add.add_argument("--date", type=_date, required=True, help="报价日（起适用日）")
    lpr_add.add_argument("--rate", type=_rate, required=True, help="年利率（%%），如 3.00")
    lpr_add.set_defaults(handler=cmd_lpr_add)
    lpr_delete = lpr_commands.add_parser(
        "delete", help="删除本院录入的报价（管理员）", description="删除本院录入的一次报价。"
    )
    _add_db(lpr_delete)
    _add_required_user(lpr_delete)
    lpr_delete.add_argument("--date", type=_date, required=True, help="报价日")
    lpr_delete.set_defaults(handler=cmd_lpr_delete)

    holidays = commands.add_parser(
        "holidays",
        help="节假日安排",
        description="查看某年的节假日安排，或导入国务院公布的新一年安排（管理员）。",
    )
    holiday_commands = holidays.add_subparsers(
        title="子命令", metavar="命令", parser_class=Parser, required=True
    )
    show = holiday_commands.add_parser(
        "show", help="查看一年的安排", description="列出一年的放假日和调休上班日及其来源。"
    )
    _add_db(show)
    show.add_argument("--year", type=_positive_int, required=True, help="年份")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=cmd_holidays_show)
    imported = holiday_commands.add_parser(
        "import",
        help="导入一年的安排（管理员）",
        description="从 CSV（日期,类型,名称；类型为 休 或 班；日期可写 2027-01-01~2027-01-03）"
        "或 JSON 文件导入一年的节假日安排，替换该年已录入的数据。",
    )
    _add_db(imported)
    _add_required_user(imported)
    imported.add_argument("--year", type=_positive_int, required=True, help="年份")
    imported.add_argument("file", type=Path, metavar="文件", help=".csv 或 .json 文件")
    imported.set_defaults(handler=cmd_holidays_import)


# ---------------------------------------------------------------- service of process
def _service_choice(kind: str, text: str) -> str:
    """A method, outcome, state or return reason given by its code or its Chinese name."""
    from courtdesk.domain.service import (
        ALLOWED_OUTCOMES,
        Outcome,
        ReturnReason,
        ServiceMethod,
        TaskState,
        outcome_label,
    )

    value = text.strip()
    names: dict[str, str] = {}
    if kind == "method":
        names = {m.label: m.value for m in ServiceMethod}
        codes = [m.value for m in ServiceMethod]
    elif kind == "outcome":
        names = {o.label: o.value for o in Outcome}
        for method, outcomes in ALLOWED_OUTCOMES.items():
            names.update({outcome_label(method, o): o.value for o in outcomes})
        codes = [o.value for o in Outcome]
    elif kind == "state":
        names = {s.label: s.value for s in TaskState} | {"未办结": "open"}
        codes = [*(s.value for s in TaskState), "open"]
    else:
        names = {r.label: r.value for r in ReturnReason}
        codes = [r.value for r in ReturnReason]
    if value in codes:
        return value
    if value in names:
        return names[value]
    raise argparse.ArgumentTypeError(
        f"「{value}」无效，可选：{'、'.join(codes)} 或 {'、'.join(names)}"
    )


def _task_id(text: str) -> int:
    """A task by its number or by its receipt barcode (SD…)."""
    from courtdesk.domain.service import parse_receipt_code

    value = text.strip()
    if value.isdigit():
        return int(value)
    parsed = parse_receipt_code(value)
    if isinstance(parsed, str):
        raise argparse.ArgumentTypeError(parsed)
    return parsed


def cmd_service_list(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from courtdesk.domain.service import DocumentKind, ServiceMethod, TaskState, receipt_code
    from courtdesk.services import service as svc
    from courtdesk.services.service import TaskFilter, TaskSort

    state = args.state
    flt = TaskFilter(
        states=() if state in (None, "open") else (state,),
        open_only=state == "open" or args.overdue,
        methods=(args.method,) if args.method else (),
        due_before=date.today() if args.overdue else None,
    )
    with _workspace(args) as ws:
        total = svc.desk_count(ws, flt)
        rows = svc.desk_page(ws, flt, TaskSort.DUE, False, 0, args.limit)
    if args.json:
        _print_json(
            {
                "total": total,
                "tasks": [
                    {
                        **asdict(r),
                        "code": receipt_code(r.id),
                        "state_label": TaskState(r.state).label,
                        "method_label": ServiceMethod(r.method).label if r.method else "",
                    }
                    for r in rows
                ],
            }
        )
        return 0
    print(
        f"共 {total:,} 项"
        + (f"，显示按送达期限排序的前 {len(rows):,} 项" if total > len(rows) else "")
    )
    for r in rows:
        method = ServiceMethod(r.method).label if r.method else "—"
        served = f"  送达日期 {r.service_date}" if r.service_date else ""
        title = r.title or DocumentKind(r.document).label
        print(
            f"{receipt_code(r.id)}  {r.case_number}  {title} → {r.recipient_role}{r.recipient_name}"
            f"  [{TaskState(r.state).label}] {method}  期限 {r.due_date}{served}"
        )
    return 0


def cmd_service_show(args: argparse.Namespace) -> int:
    from courtdesk.services import service as svc

    with _workspace(args) as ws:
        task = svc.get_task(ws, args.task)
    if args.json:
        _print_json(task.to_dict())
        return 0
    print(f"{task.code}  {task.case_number}  {task.title} × {task.copies}")
    print(
        f"  受送达人：{task.recipient_role} {task.recipient_name}  地址：{task.address or '（无）'}"
    )
    print(
        f"  状态：{task.state.label}  送达日期：{task.service_date or '—'}  期限：{task.due_date}"
    )
    print(f"  依据：{task.basis}")
    for n, attempt in enumerate(task.attempts, start=1):
        print(f"  {n}. {attempt.summary()}")
    return 0


def cmd_service_record(args: argparse.Namespace) -> int:
    from courtdesk.domain.service import Attempt, Outcome, ReturnReason, ServiceMethod
    from courtdesk.services import service as svc
    from courtdesk.services.service import AttemptEntry

    method, outcome = ServiceMethod(args.method), Outcome(args.outcome)
    sent_at = None
    if args.sent_at:
        try:
            sent_at = datetime.fromisoformat(args.sent_at)
        except ValueError:
            raise CourtdeskError(f"发送成功时间「{args.sent_at}」应写作 YYYY-MM-DD HH:MM") from None
    with _workspace(args) as ws:
        task = svc.get_task(ws, args.task)
        pending = task.pending_attempt
        completes = (
            pending
            if pending is not None
            and pending.attempt.method is method
            and outcome is not Outcome.IN_TRANSIT
            else None
        )
        attempt = Attempt(
            method=method,
            outcome=outcome,
            attempt_date=completes.attempt.attempt_date if completes else args.date,
            result_date=args.receipt_date or (args.date if completes else None),
            sent_at=sent_at,
            receiver_name=args.receiver or "",
            receiver_relation=args.relation or "",
            witnesses=args.witnesses or "",
            record_media=args.record or "",
            channel=args.channel or "",
            waybill=args.waybill or (completes.attempt.waybill if completes else ""),
            returned_reason=ReturnReason(args.returned_reason) if args.returned_reason else None,
            other_agency=args.agency or (completes.attempt.other_agency if completes else ""),
            posted_where=args.posted_where or "",
            abroad=args.abroad,
            whereabouts_unknown=args.whereabouts_unknown,
            notes=args.notes or "",
        )
        entry = AttemptEntry(task.id, task.version, attempt, completes.id if completes else None)
        done = svc.record_attempt(ws, entry)
    served = f"，送达日期 {done.service_date}" if done.service_date else ""
    what = "回执" if completes else "送达"
    print(
        f"已登记{what}：{done.code} {done.title} → {done.recipient_name}：{done.state.label}{served}"
    )
    print(f"  依据：{done.basis}")
    return 0


def cmd_service_stats(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from courtdesk.services import service as svc

    with _workspace(args) as ws:
        figures = svc.figures(ws, args.since)
    if args.json:
        _print_json(asdict(figures))
        return 0
    print(f"送达任务 {figures.total:,} 项：" + "，".join(f"{s} {n:,}" for s, n in figures.by_state))
    average = f"{figures.average_days:.1f} 日" if figures.average_days is not None else "—"
    print(
        f"已送达 {figures.served_tasks:,} 项，从生成到送达平均 {average}；逾期未送达 {figures.overdue:,} 项"
    )
    print(
        f"送达失败待公告 {figures.need_public_notice:,} 项；"
        f"简易程序送达失败（需转普通程序）{figures.failed_in_summary:,} 项"
    )
    for m in figures.by_method:
        if m.attempts:
            rate = f"{m.success_rate:.1%}" if m.success_rate is not None else "—"
            print(f"  {m.method}：{m.attempts:,} 次，成功 {m.served:,} 次（{rate}）")
    return 0


def _service_commands(commands: Any) -> None:
    service = commands.add_parser(
        "service", help="集约送达", description="送达任务：查看、登记送达结果、统计。"
    )
    sub = service.add_subparsers(title="子命令", metavar="命令", parser_class=Parser, required=True)

    listing = sub.add_parser(
        "list", help="列出送达任务", description="按送达期限列出送达任务（默认全部状态）。"
    )
    _add_db(listing)
    _add_user(listing)
    listing.add_argument(
        "--state",
        type=lambda t: _service_choice("state", t),
        help="pending/in_progress/served/failed/public_notice/withdrawn/open，或 待送达、送达中、已送达、送达失败、公告中、已撤回、未办结",
    )
    listing.add_argument(
        "--method",
        type=lambda t: _service_choice("method", t),
        help="送达方式，如 court_express 或 法院专递",
    )
    listing.add_argument("--overdue", action="store_true", help="只列逾期未送达的")
    listing.add_argument(
        "--limit", type=_positive_int, default=100, help="最多列出多少项（默认 100）"
    )
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=cmd_service_list)

    show = sub.add_parser(
        "show", help="显示一项送达任务", description="显示送达任务及其全部送达记录。"
    )
    _add_db(show)
    _add_user(show)
    show.add_argument("--task", type=_task_id, required=True, help="任务编号或回证条码（SD…）")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=cmd_service_show)

    record = sub.add_parser(
        "record",
        help="登记一次送达",
        description=(
            "登记一次送达（或邮寄、委托送达的回执）。任务有尚未登记回执的同一方式送达时，"
            "本次登记即为该回执：寄出日期沿用原记录，--date（或 --receipt-date）为回执日期。"
        ),
    )
    _add_db(record)
    _add_user(record)
    record.add_argument("--task", type=_task_id, required=True, help="任务编号或回证条码（SD…）")
    record.add_argument(
        "--method",
        type=lambda t: _service_choice("method", t),
        required=True,
        help="direct 直接送达、left 留置送达、electronic 电子送达、post 邮寄送达、court_express 法院专递、entrusted 委托送达、forwarded 转交送达、public_notice 公告送达",
    )
    record.add_argument(
        "--date", type=_date, required=True, help="送达（寄出、发送、公告）日期 YYYY-MM-DD"
    )
    record.add_argument(
        "--outcome",
        type=lambda t: _service_choice("outcome", t),
        required=True,
        help="delivered 送达成功、in_transit 已寄出待回执、published 已公告、refused 拒绝签收、returned 邮件退回、not_found 查无此人、address_invalid 地址不详、failed 其他",
    )
    record.add_argument("--receipt-date", type=_date, help="回执上的签收、拒收或退回日期")
    record.add_argument("--sent-at", help="电子送达：系统显示的发送成功时间 YYYY-MM-DD HH:MM")
    record.add_argument("--channel", help="电子送达渠道，如 手机短信")
    record.add_argument("--receiver", help="签收人")
    record.add_argument("--relation", help="签收人与受送达人的关系，如 本人、同住成年家属")
    record.add_argument("--witnesses", help="留置送达的见证人")
    record.add_argument("--record", help="留置送达的拍照、录像记录")
    record.add_argument("--waybill", help="邮件单号")
    record.add_argument(
        "--returned-reason", type=lambda t: _service_choice("reason", t), help="邮件退回原因"
    )
    record.add_argument("--agency", help="委托送达的受托法院或转交单位")
    record.add_argument("--posted-where", help="公告地点")
    record.add_argument("--abroad", action="store_true", help="受送达人在境外（公告期 60 日）")
    record.add_argument("--whereabouts-unknown", action="store_true", help="受送达人下落不明")
    record.add_argument("--notes", help="备注")
    record.set_defaults(handler=cmd_service_record)

    stats = sub.add_parser("stats", help="送达统计", description="送达中心的统计数字。")
    _add_db(stats)
    _add_user(stats)
    stats.add_argument(
        "--since", type=_date, help="只统计此日期所在月份起生成的任务（统计按月累计）"
    )
    stats.add_argument("--json", action="store_true", help="以 JSON 输出")
    stats.set_defaults(handler=cmd_service_stats)


# ---------------------------------------------------------------- parser
def _gui_commands(commands: Any) -> None:
    gui = commands.add_parser("gui", help="打开图形界面", description="打开图形界面。")
    _add_db(gui)
    gui.add_argument("--user", help="以此用户名登录")
    gui.set_defaults(handler=cmd_gui)


def _setup_commands(commands: Any) -> None:
    init = commands.add_parser(
        "init", help="为法院新建数据库", description="新建 courtdesk 数据库并创建管理员账户 admin。"
    )
    _add_db(init)
    init.add_argument("--court-name", required=True, help="法院名称，例如 长春新区人民法院")
    init.add_argument("--court-code", required=True, help="法院代字，例如 吉0193")
    init.set_defaults(handler=cmd_init)

    demo = commands.add_parser(
        "demo",
        help="生成演示数据",
        description="向数据库填入确定性的演示数据（法官、书记员、法庭和各类案件）；数据库不存在时先创建。",
    )
    _add_db(demo)
    demo.add_argument("--cases", type=_positive_int, required=True, help="案件数")
    demo.add_argument(
        "--seed", type=int, default=1, help="随机种子（默认 1）：相同种子生成相同数据"
    )
    demo.add_argument("--as-of", type=_date, default=None, help="以此日期为“今天”生成（默认今天）")
    demo.add_argument("--progress", action="store_true", help="显示进度")
    demo.add_argument(
        "--workers",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="在多个进程中生成（默认在案件较多时自动使用；数据相同）",
    )
    demo.set_defaults(handler=cmd_demo)


def _case_commands(commands: Any) -> None:
    case = commands.add_parser("case", help="查看案件", description="查看案件。")
    case_commands = case.add_subparsers(
        title="子命令", metavar="命令", parser_class=Parser, required=True
    )
    show = case_commands.add_parser(
        "show", help="显示一件案件", description="按案号显示案件及其当事人。"
    )
    _add_db(show)
    show.add_argument(
        "case_number", metavar="案号", help="例如（2026）吉0193民初1234号，半角括号亦可"
    )
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    _add_user(show)
    show.set_defaults(handler=cmd_case_show)

    limit = case_commands.add_parser(
        "time-limit",
        help="计算一件案件的审限",
        description="按案号计算审限：届满日、已用天数、剩余天数、状态（正常、临近届满、已超审限、中止中），"
        "以及延长、扣除期间和程序转换的计算过程；与图形界面“审限”页相同。",
    )
    _add_db(limit)
    limit.add_argument(
        "case_number", metavar="案号", help="例如（2026）吉0193民初1234号，半角括号亦可"
    )
    limit.add_argument(
        "--as-of", type=_date, default=None, help="按此日期计算（YYYY-MM-DD，默认今天）"
    )
    limit.add_argument("--json", action="store_true", help="以 JSON 输出")
    _add_user(limit)
    limit.set_defaults(handler=cmd_case_time_limit)

    imports = commands.add_parser(
        "import",
        help="从 CSV 批量导入案件",
        description="从 CSV 文件（UTF-8 或 GBK）批量导入案件：全部成功才保存，任何一行有误则一件也不保存。"
        "列：案件类型、程序、案由、立案日期、诉讼标的额、原告、原告证件号、原告地址、原告电话、"
        "被告、被告证件号、被告地址、被告电话、承办人、书记员、不公开审理。",
    )
    _add_db(imports)
    _add_user(imports)
    imports.add_argument("file", metavar="文件", type=Path, help="CSV 文件")
    imports.add_argument("--progress", action="store_true", help="在标准错误输出上显示进度")
    imports.set_defaults(handler=cmd_import)


def _maintenance_commands(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="检查数据库文件与操作记录",
        description="只读地检查数据库文件：SQLite 完整性检查、引用检查、操作记录哈希链（指出哪一条被改动或删除）。"
        "无需登录。发现问题时退出码为 1。",
    )
    _add_db(check)
    check.set_defaults(handler=cmd_check)

    backup = commands.add_parser(
        "backup",
        help="备份数据库",
        description="在程序运行时制作一致的数据库副本，校验（完整性与哈希链）后记入操作记录。需要系统管理员登录。",
    )
    _add_db(backup)
    _add_user(backup)
    backup.add_argument("--out", type=Path, required=True, help="备份文件（不能已存在）")
    backup.set_defaults(handler=cmd_backup)

    restore = commands.add_parser(
        "restore",
        help="从备份恢复数据库",
        description="检查备份文件，先把当前数据库另存一份安全副本（在备份文件夹中），再用备份替换数据库内容。"
        "需要系统管理员登录。",
    )
    _add_db(restore)
    _add_user(restore)
    restore.add_argument("--from", dest="source", type=Path, required=True, help="要恢复的备份文件")
    restore.set_defaults(handler=cmd_restore)


def _user_commands(commands: Any) -> None:
    user = commands.add_parser("user", help="用户账户", description="用户账户与密码。")
    sub = user.add_subparsers(title="子命令", metavar="命令", parser_class=Parser, required=True)

    listing = sub.add_parser(
        "list", help="列出账户", description="列出所有账户（需要系统管理员登录）。"
    )
    _add_db(listing)
    _add_user(listing)
    listing.set_defaults(handler=cmd_user_list)

    add = sub.add_parser(
        "add",
        help="创建账户",
        description=f"创建账户；初始密码取自环境变量 {NEW_PASSWORD_ENV} 或在终端中输入，首次登录时须修改。",
    )
    _add_db(add)
    _add_user(add)
    add.add_argument("username", metavar="用户名", help="小写字母、数字或 . _ -")
    add.add_argument("--name", required=True, help="姓名")
    add.add_argument(
        "--role",
        action="append",
        required=True,
        choices=[
            "admin",
            "registrar",
            "judge",
            "clerk",
            "service",
            "chief",
            "president",
            "readonly",
        ],
        help="角色（可重复）：admin 系统管理员、registrar 立案、judge 法官、clerk 书记员、"
        "service 送达、chief 庭长、president 院长、readonly 只读",
    )
    add.add_argument("--division", help="所属庭室名称")
    add.set_defaults(handler=cmd_user_add)

    reset = sub.add_parser(
        "reset-password",
        help="重置他人密码",
        description=f"设置临时密码（取自环境变量 {NEW_PASSWORD_ENV} 或在终端中输入）并解除锁定；该用户下次登录时须修改密码。",
    )
    _add_db(reset)
    _add_user(reset)
    reset.add_argument("username", metavar="用户名")
    reset.set_defaults(handler=cmd_user_reset)

    unlock = sub.add_parser("unlock", help="解除锁定", description="解除因密码错误而锁定的账户。")
    _add_db(unlock)
    _add_user(unlock)
    unlock.add_argument("username", metavar="用户名")
    unlock.set_defaults(handler=cmd_user_unlock)

    passwd = sub.add_parser(
        "passwd",
        help="修改自己的密码",
        description=f"修改 --user 的密码：当前密码取自 {PASSWORD_ENV}，新密码取自 {NEW_PASSWORD_ENV}，"
        "未设置时在终端中输入。密码被管理员重置后也用此命令设置新密码。",
    )
    _add_db(passwd)
    _add_user(passwd)
    passwd.set_defaults(handler=cmd_user_passwd)

    setup = sub.add_parser(
        "set-up-admin",
        help="设置新数据库的管理员密码",
        description=f"新数据库的系统管理员尚无密码时设置它（取自 {NEW_PASSWORD_ENV} 或在终端中输入）；已设置后不可再用。",
    )
    _add_db(setup)
    setup.set_defaults(handler=cmd_user_set_up_admin)


# ---------------------------------------------------------------- hearings (排期)
EXIT_CONFLICTS = 3


def _datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"时间「{text}」应写作 YYYY-MM-DDTHH:MM，例如 2026-11-23T09:00"
        ) from None


def _kind(text: str) -> Any:
    from courtdesk.domain.scheduling import HearingKind

    for kind in HearingKind:
        if text in (kind.value, kind.label):
            return kind
    choices = "、".join(f"{k.label}（{k.value}）" for k in HearingKind)
    raise argparse.ArgumentTypeError(f"开庭类型「{text}」无效，可选：{choices}")


def cmd_hearing_check(args: argparse.Namespace) -> int:
    from courtdesk.services import hearings

    with _workspace(args) as ws:
        draft = hearings.draft_by_names(
            ws,
            args.case,
            args.start,
            args.end,
            kind=args.kind,
            room=args.room,
            online=args.online,
            place=args.place or "",
            judge=args.judge,
            clerk=args.clerk,
            panel=tuple(args.panel or ()),
        )
        outcome = hearings.check_hearing(ws, draft, hearing_id=args.hearing)
    if args.json:
        _print_json(outcome.to_dict())
    elif not outcome.conflicts:
        print(f"无冲突：{args.case} {draft.start:%Y-%m-%d %H:%M}–{draft.end:%H:%M} 可以排期")
    else:
        print(
            f"{args.case} {draft.start:%Y-%m-%d %H:%M}–{draft.end:%H:%M} 有 {len(outcome.conflicts)} 项冲突："
        )
        for conflict in outcome.conflicts:
            print(f"  [{conflict.label}] {conflict.message}")
    return EXIT_CONFLICTS if outcome.conflicts else 0


def cmd_hearing_list(args: argparse.Namespace) -> int:
    from courtdesk.services import hearings

    try:
        last = args.day + timedelta(days=args.days - 1)
    except OverflowError:
        raise CourtdeskError(
            f"参数 --days：自 {args.day.isoformat()} 起 {args.days} 天超出了日历（最晚 9999-12-31）"
        ) from None
    with _workspace(args) as ws:
        room_id = hearings.room_by_name(ws, args.room) if args.room else None
        listing = (
            hearings.announcement(ws, args.day, last)
            if args.announcement
            else hearings.cause_list(ws, args.day, room_id)
        )
    if args.json:
        _print_json(listing.to_dict())
        return 0
    where = f"（{listing.room}）" if listing.room else ""
    print(
        f"{listing.court_name}{listing.title}{where} {listing.first_day.isoformat()}"
        + (f" 至 {listing.last_day.isoformat()}" if listing.last_day != listing.first_day else "")
    )
    if not listing.entries:
        print("  （无）")
    for e in listing.entries:
        print(
            f"  {e.start:%m-%d %H:%M}–{e.end:%H:%M}  {e.place}  {e.case_number}  {e.cause}"
            f"  {e.parties}  {e.kind}  审判长 {e.judge}"
        )
    return 0


def _hearing_commands(commands: Any) -> None:
    hearing = commands.add_parser(
        "hearing", help="排期", description="开庭排期：冲突检查与开庭排期表。"
    )
    sub = hearing.add_subparsers(title="子命令", metavar="命令", parser_class=Parser, required=True)
    check = sub.add_parser(
        "check",
        help="检查一次开庭的冲突（不保存）",
        description=(
            "按与图形界面相同的规则检查一次拟定的开庭：法庭占用、审判人员与书记员、律师、"
            "工作日与法定节假日、开庭时段、传票送达三日、延期次数。不保存任何内容。"
            f"无冲突时退出码为 0，有冲突时为 {EXIT_CONFLICTS}。"
        ),
    )
    _add_db(check)
    _add_user(check)
    check.add_argument("--case", required=True, metavar="案号", help="例如（2026）吉0193民初1234号")
    check.add_argument("--room", metavar="法庭", help="法庭名称，例如 第三法庭")
    check.add_argument("--online", action="store_true", help="在线庭审（不需要法庭）")
    check.add_argument("--place", metavar="地点", help="巡回审判的开庭地点（不需要法庭）")
    check.add_argument(
        "--start", required=True, type=_datetime, help="开始时间，例如 2026-11-23T09:00"
    )
    check.add_argument("--end", type=_datetime, help="结束时间（默认按开庭类型的默认时长）")
    check.add_argument(
        "--kind",
        type=_kind,
        default="trial",
        help="开庭类型：开庭、调解、听证、询问、宣判、巡回审判（默认开庭）",
    )
    check.add_argument("--judge", help="审判长的用户名或姓名（默认本案承办人）")
    check.add_argument("--clerk", help="书记员的用户名或姓名（默认本案书记员）")
    check.add_argument("--panel", action="append", help="合议庭成员的用户名或姓名（可重复）")
    check.add_argument(
        "--hearing", type=_positive_int, help="检查改期：被移动的开庭编号（不与自身冲突）"
    )
    check.add_argument("--json", action="store_true", help="以 JSON 输出")
    check.set_defaults(handler=cmd_hearing_check)

    listing = sub.add_parser(
        "list",
        help="开庭排期表或开庭公告",
        description="显示某日的开庭排期表（全院或一个法庭），或用 --announcement 显示开庭公告。",
    )
    _add_db(listing)
    listing.add_argument("--day", type=_date, default=date.today(), help="日期（默认今天）")
    listing.add_argument("--room", metavar="法庭", help="只列此法庭")
    listing.add_argument("--announcement", action="store_true", help="开庭公告（公开开庭的案件）")
    listing.add_argument(
        "--days", type=_at_least_one, default=7, help="开庭公告覆盖的天数（默认 7）"
    )
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    _add_user(listing)
    listing.set_defaults(handler=cmd_hearing_list)


def cmd_notice(args: argparse.Namespace) -> int:
    from courtdesk.services import notices

    with _workspace(args) as ws:
        notice_kind = notices.kind(args.kind)
        if notice_kind.source == "day":
            if args.day is None:
                raise CourtdeskError(f"生成{notice_kind.title}须用 --day 指定开庭日期")
            requests = [notices.NoticeRequest(day=args.day, issued=args.date)]
        elif notice_kind.source == "task" and args.case is None:
            if args.task is None:
                raise CourtdeskError(f"生成{notice_kind.title}须用 --task 或 --case 指定送达任务")
            requests = [notices.NoticeRequest(task_id=args.task, issued=args.date)]
        elif notice_kind.source == "hearing" and args.case is None:
            if args.hearing is None:
                raise CourtdeskError(f"生成{notice_kind.title}须用 --hearing 或 --case 指定开庭")
            requests = [
                notices.NoticeRequest(
                    hearing_id=args.hearing, all_recipients=args.all, issued=args.date
                )
            ]
        else:
            if args.case is None:
                raise CourtdeskError(f"生成{notice_kind.title}须用 --case 指定案号")
            requests = [
                notices.request_for_case(
                    ws,
                    args.case,
                    args.party or "",
                    all_recipients=args.all,
                    guardian=args.guardian or "",
                    hearing_id=args.hearing,
                    task_id=args.task,
                    issued=args.date,
                )
            ]
        result = notices.generate(ws, args.kind, requests)
    out = Path(args.out).expanduser()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(result.pdf)
    except OSError as error:
        raise CourtdeskError(f"无法写入文件 {out}：{error.strerror or error}") from error
    who = "、".join(result.subjects[:5]) + (
        f" 等{len(result.subjects)}份" if len(result.subjects) > 5 else ""
    )
    print(
        f"已生成{result.title} {result.documents} 份（{who}）：{out}，用时 {result.seconds:.2f} 秒"
    )
    return 0


def _notice_commands(commands: Any) -> None:
    from courtdesk.notices.kinds import KIND_TITLES  # no reportlab: every command builds this

    kinds = "；".join(f"{key}＝{title}" for key, title in KIND_TITLES.items())
    notice = commands.add_parser(
        "notice",
        help="生成文书（PDF）",
        description=(
            "按本院的文书模板生成文书 PDF：一名收件人一份，--all 则为全部收件人，合为一个文件。"
            f"文书种类：{kinds}。"
        ),
    )
    _add_db(notice)
    _add_user(notice)
    notice.add_argument("kind", metavar="种类", choices=list(KIND_TITLES), help="文书种类，见上")
    notice.add_argument("--case", metavar="案号", help="案号，例如（2026）吉0193民初1234号")
    notice.add_argument(
        "--party", metavar="姓名", help="收件的当事人或代理人（监护责任告知书：被监护人）"
    )
    notice.add_argument("--all", action="store_true", help="为本案全部收件人各生成一份")
    notice.add_argument(
        "--hearing", type=_positive_int, metavar="编号", help="开庭编号（默认：本案下一次开庭）"
    )
    notice.add_argument("--task", type=_positive_int, metavar="编号", help="送达任务编号")
    notice.add_argument("--day", type=_date, help="开庭排期表的日期 YYYY-MM-DD")
    notice.add_argument("--guardian", metavar="姓名", help="监护责任告知书的监护人")
    notice.add_argument(
        "--date", type=_date, default=None, help="文书落款日期 YYYY-MM-DD（默认今天）"
    )
    notice.add_argument("--out", required=True, metavar="文件.pdf", help="输出的 PDF 文件")
    notice.set_defaults(handler=cmd_notice)


# Each feature adds its group of subcommands here.
COMMAND_GROUPS: tuple[Callable[[Any], None], ...] = (
    _gui_commands,
    _setup_commands,
    _case_commands,
    _maintenance_commands,
    _user_commands,
    _calculator_commands,
    _service_commands,
    _hearing_commands,
    _notice_commands,
)


def build_parser() -> Parser:
    parser = Parser(
        prog="courtdesk", description="courtdesk 基层法院案件管理。不带子命令时打开图形界面。"
    )
    parser.add_argument("--version", action="version", version=f"courtdesk {__version__}")
    _add_db(parser)
    parser.add_argument("--user", help="以此用户名登录图形界面")
    parser.add_argument(
        "--self-check", action="store_true", help="不打开窗口，在临时文件夹中检查本程序能否正常工作"
    )
    parser.set_defaults(handler=cmd_gui)
    commands = parser.add_subparsers(title="子命令", metavar="命令", parser_class=Parser)
    for group in COMMAND_GROUPS:
        group(commands)
    return parser


def _tolerant_streams() -> None:
    """Never fail to print a message: text from undecodable arguments (lone surrogates)
    is shown escaped instead of raising inside the error handler."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except CourtdeskError as error:
        print(f"courtdesk: 错误：{_one_line(error.message)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("courtdesk: 已中断", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: log the traceback, tell the user where it is
        log_file = _log_crash()
        print(f"courtdesk: 内部错误：{error!r}（详情已记录到 {log_file}）", file=sys.stderr)
        return EXIT_INTERNAL


def _log_crash() -> Path:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    log_file = folder / "courtdesk.log"
    logging.basicConfig(filename=str(log_file), level=logging.ERROR)
    logging.getLogger("courtdesk").error("unexpected error\n%s", traceback.format_exc())
    return log_file


if __name__ == "__main__":
    raise SystemExit(main())
