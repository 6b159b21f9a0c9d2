"""The 分案 dialog: assign (or reassign) a case to a judge, a clerk and a bench.

随机分案 shows every judge of the division with their open cases and their chance
in the draw; the draw itself happens when the assignment is stored, so it cannot
be repeated until a favoured judge comes up. 指定分案 takes a judge (and, for a
panel, its members) and a reason. Earlier assignments are listed below.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from courtdesk.domain.assignment import ASSESSOR, JUDGE_MEMBER, PANEL_ROLES, PRESIDING
from courtdesk.errors import CourtdeskError, FieldProblem, ValidationError
from courtdesk.services import assignment
from courtdesk.services.assignment import (
    AssignmentOptions,
    AssignmentRequest,
    AssignmentView,
    Bench,
    Method,
    PanelMember,
    StaffMember,
)
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import NO_ID, combo_id, fit_to_screen, if_alive, named

INVALID_STYLE = "border: 1px solid #b3261e; background: #fde2e1;"


def staff_label(person: StaffMember, what: str = "在办") -> str:
    where = f"{person.division}，" if person.division else ""
    return f"{person.name}（{where}{what} {person.open_cases} 件）"


class AssignDialog(QDialog):
    assigned = Signal(object)  # AssignmentView
    loaded = Signal()

    def __init__(
        self, ws: Workspace, runner: TaskRunner, case_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("分案")
        self.setObjectName("assignDialog")
        self._ws = ws
        self._runner = runner
        self.case_id = case_id
        self.options: AssignmentOptions | None = None
        self._busy = False

        self.problems_label = named(QLabel(), "problems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color:#b3261e; background:#fdecea; padding:6px;")
        self.problems_label.hide()
        self.case_label = named(QLabel("正在读取案件…"), "caseLabel")
        self.case_label.setWordWrap(True)
        self.current_label = named(QLabel(), "currentAssignment")
        self.current_label.setWordWrap(True)

        self.division_combo = named(QComboBox(), "division")
        self.auto_radio = named(QRadioButton("随机分案"), "auto")
        self.manual_radio = named(QRadioButton("指定分案"), "manual")
        self.auto_radio.setChecked(True)
        methods = QButtonGroup(self)
        methods.addButton(self.auto_radio)
        methods.addButton(self.manual_radio)
        method_row = QHBoxLayout()
        method_row.addWidget(self.auto_radio)
        method_row.addWidget(self.manual_radio)
        method_row.addStretch(1)

        self.candidates = named(QTableWidget(0, 3), "candidates")
        self.candidates.setHorizontalHeaderLabels(["法官", "在办案件", "抽中概率"])
        self.candidates.verticalHeader().setVisible(False)
        self.candidates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.candidates.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.candidates.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.candidates.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.judge_combo = named(QComboBox(), "judge")
        self.judge_combo.setMinimumContentsLength(18)
        row_height = self.fontMetrics().height() + 8
        self.candidates.verticalHeader().setDefaultSectionSize(row_height)
        self.candidates.setMaximumHeight(row_height * 7)
        self.candidates.doubleClicked.connect(self._candidate_chosen)
        self.judge_row = QWidget()
        judge_layout = QHBoxLayout(self.judge_row)
        judge_layout.setContentsMargins(0, 0, 0, 0)
        judge_layout.addWidget(QLabel("承办人"))
        judge_layout.addWidget(self.judge_combo, 1)
        self.person_box = QWidget()
        person_layout = QVBoxLayout(self.person_box)
        person_layout.setContentsMargins(0, 0, 0, 0)
        person_layout.addWidget(self.judge_row)
        person_layout.addWidget(self.candidates)

        self.sole_radio = named(QRadioButton("独任审判"), "sole")
        self.panel_radio = named(QRadioButton("合议庭"), "panel")
        benches = QButtonGroup(self)
        benches.addButton(self.sole_radio)
        benches.addButton(self.panel_radio)
        bench_row = QHBoxLayout()
        bench_row.addWidget(self.sole_radio)
        bench_row.addWidget(self.panel_radio)
        self.bench_note = QLabel()
        self.bench_note.setStyleSheet("color:#666")
        bench_row.addWidget(self.bench_note, 1)

        self.members = named(QTableWidget(0, 2), "members")
        self.members.setHorizontalHeaderLabels(["成员", "角色"])
        self.members.verticalHeader().setVisible(False)
        self.members.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        combo_height = QComboBox().sizeHint().height() + 4
        self.members.verticalHeader().setDefaultSectionSize(combo_height)
        self.members.setMinimumHeight(combo_height * 3 + self.fontMetrics().height() + 16)
        self.add_member_button = named(QPushButton("增加成员"), "addMember")
        self.remove_member_button = named(QPushButton("删除所选成员"), "removeMember")
        self.add_member_button.clicked.connect(lambda: self.add_member())
        self.remove_member_button.clicked.connect(self._remove_member)
        self.panel_auto_note = QLabel("合议庭其他成员由系统随机确定：一名审判员、一名人民陪审员")
        self.panel_auto_note.setStyleSheet("color:#666")
        panel_box = QWidget()
        panel_layout = QVBoxLayout(panel_box)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.addWidget(self.panel_auto_note)
        panel_layout.addWidget(self.members)
        member_buttons = QHBoxLayout()
        member_buttons.addStretch(1)
        member_buttons.addWidget(self.add_member_button)
        member_buttons.addWidget(self.remove_member_button)
        panel_layout.addLayout(member_buttons)
        self.panel_box = panel_box

        self.clerk_combo = named(QComboBox(), "clerk")
        self.reason_edit = named(QLineEdit(), "reason")
        self.reason_edit.setPlaceholderText("指定分案或改派时必填，例如：关联案件由同一承办人审理")

        form = QFormLayout()
        form.addRow("承办部门", self.division_combo)
        form.addRow("分案方式", method_row)
        form.addRow("", self.person_box)
        form.addRow("审判组织", bench_row)
        form.addRow("", panel_box)
        form.addRow("书记员", self.clerk_combo)
        form.addRow("理由", self.reason_edit)

        self.history = named(QTableWidget(0, 5), "history")
        self.history.setHorizontalHeaderLabels(
            ["时间", "承办人与审判组织", "方式", "理由", "经办人"]
        )
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history.setWordWrap(False)
        self.history.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.history.setMinimumHeight(self.fontMetrics().height() * 5)

        self.buttons = named(QDialogButtonBox(), "buttons")
        self.submit_button = self.buttons.addButton("分案", QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setObjectName("submit")
        self.submit_button.setEnabled(False)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.case_label)
        layout.addWidget(self.current_label)
        layout.addLayout(form, 1)
        layout.addWidget(QLabel("分案记录"))
        layout.addWidget(self.history)
        layout.addWidget(self.buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 58, char * 46)

        self.division_combo.currentIndexChanged.connect(self._division_changed)
        self.auto_radio.toggled.connect(self._mode_changed)
        self.sole_radio.toggled.connect(self._mode_changed)
        self.judge_combo.currentIndexChanged.connect(self._judge_changed)
        self.reload()

    # ------------------------------------------------------------ loading
    def reload(self) -> None:
        ws, case_id = self._ws, self.case_id
        self._runner.run(
            lambda: assignment.options(ws, case_id),
            if_alive(self, self._fill),
            if_alive(self, self._failed),
        )

    def _fill(self, options: AssignmentOptions) -> None:
        self.options = options
        e = html.escape
        self.case_label.setText(
            f"<b>{e(options.case_number)}</b>　{e(options.cause)}　{e(options.procedure_label)}"
        )
        current = options.current
        if current is None:
            self.current_label.setText("尚未分案：分案后案件转为“审理中”。")
            self.setWindowTitle(f"分案 — {options.case_number}")
        else:
            self.current_label.setText(
                f"现承办人：<b>{e(current.presiding_judge)}</b>　{e(current.bench_text)}"
                f"　书记员：{e(current.clerk or '未指定')}　（改派须写明理由，原分案记录保留）"
            )
            self.setWindowTitle(f"改派 — {options.case_number}")
            self.submit_button.setText("改派")
        self.division_combo.blockSignals(True)
        self.division_combo.clear()
        for division in options.divisions:
            if options.judges_in(division.id):
                self.division_combo.addItem(division.name, division.id)
        index = self.division_combo.findData(options.division_id or NO_ID)
        self.division_combo.setCurrentIndex(max(0, index))
        self.division_combo.blockSignals(False)
        self.sole_radio.setEnabled(Bench.SOLE in options.benches)
        self.panel_radio.setEnabled(Bench.PANEL in options.benches)
        (self.sole_radio if options.benches[0] is Bench.SOLE else self.panel_radio).setChecked(True)
        if len(options.benches) == 1:
            self.bench_note.setText(f"（本案程序只能{options.benches[0].label}）")
        self._show_history(list(options.history))
        self._division_changed()
        self.submit_button.setEnabled(True)
        self.loaded.emit()

    def _show_history(self, views: list[AssignmentView]) -> None:
        self.history.setRowCount(len(views))
        for row, view in enumerate(views):
            state = "（现）" if view.is_current else ""
            values = [
                view.assigned_at[:16].replace("T", " "),
                f"{view.presiding_judge}{state}　{view.bench_text}",
                view.method.label,
                view.reason or "—",
                view.assigned_by or "系统",
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.history.setItem(row, column, item)
        self.history.resizeColumnToContents(0)

    def _division_changed(self) -> None:
        options = self.options
        if options is None:
            return
        division_id = combo_id(self.division_combo)
        judges = options.judges_in(division_id)
        chances = options.chances(division_id)
        self.candidates.setRowCount(len(judges))
        for row, judge in enumerate(judges):
            for column, value in enumerate(
                (judge.name, f"{judge.open_cases} 件", f"{chances.get(judge.id, 0):.0%}")
            ):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.candidates.setItem(row, column, item)
        self.judge_combo.blockSignals(True)
        self.judge_combo.clear()
        self.judge_combo.addItem("请选择承办人", NO_ID)
        for judge in judges:
            self.judge_combo.addItem(staff_label(judge), judge.id)
        others = [j for j in options.judges if j.division_id != division_id]
        if others:
            self.judge_combo.insertSeparator(self.judge_combo.count())
            for judge in others:
                self.judge_combo.addItem(staff_label(judge), judge.id)
        self.judge_combo.blockSignals(False)
        self.clerk_combo.clear()
        self.clerk_combo.addItem("自动（本部门在办最少者优先）", NO_ID)
        for clerk in options.clerks_in(division_id):
            self.clerk_combo.addItem(staff_label(clerk), clerk.id)
        self._mode_changed()

    def _mode_changed(self) -> None:
        auto = self.auto_radio.isChecked()
        panel = self.panel_radio.isChecked()
        self.judge_row.setVisible(not auto)
        self.candidates.setToolTip("" if auto else "双击选为承办人")
        self.panel_box.setVisible(panel)
        self.panel_auto_note.setVisible(auto)
        for widget in (self.members, self.add_member_button, self.remove_member_button):
            widget.setVisible(not auto)
        if panel and not auto and self.members.rowCount() == 0:
            self.add_member(combo_id(self.judge_combo), PRESIDING)
            self.add_member(None, JUDGE_MEMBER)
            self.add_member(None, ASSESSOR)

    def _candidate_chosen(self) -> None:
        if self.auto_radio.isChecked() or self.options is None:
            return
        judges = self.options.judges_in(combo_id(self.division_combo))
        row = self.candidates.currentRow()
        if 0 <= row < len(judges):
            self.judge_combo.setCurrentIndex(self.judge_combo.findData(judges[row].id))

    def _judge_changed(self) -> None:
        """The 承办人 presides the panel unless the clerk has chosen otherwise."""
        judge_id = combo_id(self.judge_combo)
        if self.members.rowCount() and judge_id is not None:
            combo = self.members.cellWidget(0, 0)
            if isinstance(combo, QComboBox):
                combo.setCurrentIndex(max(0, combo.findData(judge_id)))

    # ------------------------------------------------------------ panel members
    def add_member(self, user_id: int | None = None, role: str = JUDGE_MEMBER) -> int:
        options = self.options
        row = self.members.rowCount()
        self.members.insertRow(row)
        person = QComboBox()
        person.addItem("请选择", NO_ID)
        if options is not None:
            for judge in options.judges:
                person.addItem(f"{judge.name}（法官，{judge.division}）", judge.id)
            for assessor in options.assessors:
                person.addItem(staff_label(assessor, "参审"), assessor.id)
        person.setCurrentIndex(max(0, person.findData(user_id or NO_ID)))
        roles = QComboBox()
        roles.addItems(list(PANEL_ROLES))
        roles.setCurrentText(role)
        self.members.setCellWidget(row, 0, person)
        self.members.setCellWidget(row, 1, roles)
        return row

    def set_member(self, row: int, user_id: int, role: str) -> None:
        person, roles = self.members.cellWidget(row, 0), self.members.cellWidget(row, 1)
        assert isinstance(person, QComboBox) and isinstance(roles, QComboBox)
        person.setCurrentIndex(max(0, person.findData(user_id)))
        roles.setCurrentText(role)

    def _remove_member(self) -> None:
        for row in sorted({i.row() for i in self.members.selectedIndexes()}, reverse=True):
            self.members.removeRow(row)

    def _panel_members(self) -> tuple[PanelMember, ...]:
        members = []
        for row in range(self.members.rowCount()):
            person, roles = self.members.cellWidget(row, 0), self.members.cellWidget(row, 1)
            assert isinstance(person, QComboBox) and isinstance(roles, QComboBox)
            user_id = combo_id(person)
            if user_id is not None:
                members.append(PanelMember(user_id, roles.currentText()))
        return tuple(members)

    # ------------------------------------------------------------ submit
    def build_request(self) -> AssignmentRequest:
        options = self.options
        assert options is not None
        auto = self.auto_radio.isChecked()
        bench = Bench.PANEL if self.panel_radio.isChecked() else Bench.SOLE
        return AssignmentRequest(
            case_id=self.case_id,
            expected_version=options.version,
            method=Method.AUTO if auto else Method.MANUAL,
            division_id=combo_id(self.division_combo),
            bench=bench,
            presiding_judge_id=None if auto else combo_id(self.judge_combo),
            clerk_id=combo_id(self.clerk_combo),
            members=() if auto or bench is Bench.SOLE else self._panel_members(),
            reason=self.reason_edit.text(),
        )

    def submit(self) -> None:
        if self._busy or self.options is None:
            return
        self._clear_marks()
        request = self.build_request()
        self._busy = True
        self.submit_button.setEnabled(False)
        ws = self._ws
        self._runner.run(
            lambda: assignment.assign(ws, request),
            if_alive(self, self._done),
            if_alive(self, self._failed),
        )

    def _done(self, view: AssignmentView) -> None:
        self._busy = False
        self.assigned.emit(view)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.submit_button.setEnabled(self.options is not None)
        if isinstance(error, ValidationError):
            self.show_problems(error.problems)
        elif isinstance(error, CourtdeskError):
            self.show_problems([FieldProblem("", error.message)])
        else:
            raise error

    def show_problems(self, problems: tuple[FieldProblem, ...] | list[FieldProblem]) -> None:
        self.problems_label.setText("未能分案：\n" + "\n".join(f"• {p.message}" for p in problems))
        self.problems_label.show()
        widgets: dict[str, QWidget] = {
            "reason": self.reason_edit,
            "presiding_judge_id": self.judge_combo,
            "clerk_id": self.clerk_combo,
            "division_id": self.division_combo,
            "members": self.members,
        }
        for problem in problems:
            if problem.field in widgets:
                widgets[problem.field].setStyleSheet(INVALID_STYLE)

    def _clear_marks(self) -> None:
        self.problems_label.hide()
        for widget in (
            self.reason_edit,
            self.judge_combo,
            self.clerk_combo,
            self.division_combo,
            self.members,
        ):
            widget.setStyleSheet("")
