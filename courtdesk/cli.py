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
from datetime import date
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
        f"{report.agents:,} 名代理人，用时 {report.seconds:.1f} 秒"
    )
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


# Each feature adds its group of subcommands here.
COMMAND_GROUPS: tuple[Callable[[Any], None], ...] = (
    _gui_commands,
    _setup_commands,
    _case_commands,
    _calculator_commands,
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
