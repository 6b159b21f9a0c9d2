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


# Each feature adds its group of subcommands here.
COMMAND_GROUPS: tuple[Callable[[Any], None], ...] = (
    _gui_commands,
    _setup_commands,
    _case_commands,
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
