"""The ``courtdesk`` command line: a thin layer over the same services the GUI uses.

``courtdesk`` alone opens the GUI. Every subcommand has ``--help``; ``--db``
defaults to the user's database; errors are one clear line on stderr and a
non-zero exit code, never a traceback (unexpected ones are logged to a file).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import traceback
from collections.abc import Callable, Sequence
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
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
    (
        re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"),
        "参数 {0} 的值 {1} 无效，可选：{2}",
    ),
    (re.compile(r"argument (\S+): invalid (\S+) value: (.+)"), "参数 {0} 的值 {2} 无效"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 需要一个值"),
    (re.compile(r"argument (\S+): (.+)"), "参数 {0}：{1}"),
)


class Parser(argparse.ArgumentParser):
    """argparse with usage errors as one Chinese line (exit 2) instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        for pattern, template in _ARGPARSE_MESSAGES:
            match = pattern.search(message)
            if match:
                message = template.format(*match.groups())
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


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"数据库文件（默认：{default_database()}）",
    )


def _db(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_database()


def _add_user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", help="以此用户名操作（记入操作记录）")


def _open(args: argparse.Namespace) -> Workspace:
    """The workspace a command works in: ``--db``, acting as ``--user`` (if the command has it).

    Every subcommand opens its database here, so signing in is decided in one place.
    """
    from courtdesk.services.workspace import open_workspace

    return open_workspace(_db(args), getattr(args, "user", None))


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

    ws = init_court(_db(args), args.court_name, args.court_code)
    print(
        f"已创建 {ws.path}：{args.court_name.strip()}（{args.court_code.strip()}），管理员账户 admin"
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from courtdesk.services.demo import fill_demo

    def progress(done: int, total: int) -> None:
        if args.progress:
            print(f"\r已生成 {done:,}/{total:,} 件", end="", file=sys.stderr, flush=True)

    report = fill_demo(_db(args), args.cases, seed=args.seed, as_of=args.as_of, progress=progress)
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

    ws = _open(args)
    try:
        detail = find_case(ws, args.case_number)
    finally:
        ws.close()
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


def cmd_case_time_limit(args: argparse.Namespace) -> int:
    from courtdesk.services.time_limits import case_time_limit_by_number

    ws = _open(args)
    try:
        view = case_time_limit_by_number(ws, args.case_number, args.as_of)
    finally:
        ws.close()
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


def _without_database_note(ws: Workspace | None) -> None:
    if ws is None:
        print("（未找到数据库：按法定默认标准计算）", file=sys.stderr)


def _amount(text: str) -> Decimal:
    """An amount of yuan; a negative one is passed on so the calculator can say why it is refused."""
    from courtdesk.domain.money import parse_amount

    negative = text.strip().startswith("-")
    parsed = parse_amount(text.strip().removeprefix("-"))
    if isinstance(parsed, str):
        raise argparse.ArgumentTypeError(
            f"金额{parsed}" if "「" in parsed else f"金额「{text}」{parsed}"
        )
    return -parsed if negative else parsed


def cmd_fee(args: argparse.Namespace) -> int:
    from courtdesk.domain.fees import Exemption
    from courtdesk.domain.money import format_yuan
    from courtdesk.services.fees import compute_fee

    ws = _open_optional(args)
    try:
        result = compute_fee(
            ws,
            args.kind,
            args.amount,
            args.procedure,
            mediated_or_withdrawn=args.mediated,
            counterclaim=args.counterclaim,
            exemption=Exemption(args.exempt) if args.exempt else None,
        )
    finally:
        if ws is not None:
            ws.close()
    if args.json:
        _print_json(result.to_dict())
        return 0
    _without_database_note(ws)
    amount = (
        ""
        if result.amount is None
        else f"，{result.kind.amount_label} {format_yuan(result.amount)} 元"
    )
    print(f"{result.title}（{result.procedure.label}{amount}）")
    for line in result.explain():
        print(f"  {line}")
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
    limit.set_defaults(handler=cmd_case_time_limit)


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

    ws = _open(args)
    try:
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
    finally:
        ws.close()
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

    ws = _open(args)
    try:
        room_id = hearings.room_by_name(ws, args.room) if args.room else None
        listing = (
            hearings.announcement(ws, args.day, args.day + timedelta(days=args.days - 1))
            if args.announcement
            else hearings.cause_list(ws, args.day, room_id)
        )
    finally:
        ws.close()
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
        "--days", type=_positive_int, default=7, help="开庭公告覆盖的天数（默认 7）"
    )
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=cmd_hearing_list)


def cmd_notice(args: argparse.Namespace) -> int:
    from courtdesk.services import notices

    ws = _open(args)
    try:
        notice_kind = notices.kind(args.kind)
        if notice_kind.source == "day":
            if args.day is None:
                raise CourtdeskError(f"生成{notice_kind.title}须用 --day 指定开庭日期")
            requests = [notices.NoticeRequest(day=args.day, issued=args.date)]
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
    finally:
        ws.close()
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
    from courtdesk.notices.catalog import DEFINITIONS

    kinds = "；".join(f"{key}＝{d.title}" for key, d in DEFINITIONS.items())
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
    notice.add_argument("kind", metavar="种类", choices=list(DEFINITIONS), help="文书种类，见上")
    notice.add_argument("--case", metavar="案号", help="案号，例如（2026）吉0193民初1234号")
    notice.add_argument("--party", metavar="姓名", help="收件的当事人（监护责任告知书：被监护人）")
    notice.add_argument("--all", action="store_true", help="为本案全部收件人各生成一份")
    notice.add_argument("--hearing", type=_positive_int, metavar="编号", help="开庭编号")
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
    _calculator_commands,
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except CourtdeskError as error:
        print(f"courtdesk: 错误：{error.message}", file=sys.stderr)
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
