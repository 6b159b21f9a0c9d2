"""The 立案 form's party editor: one row per party, one column per field.

The columns are the table ``PARTY_COLUMNS`` below (key, title, width, how the cell
is edited): adding a field to the form is adding a line there and reading the key
in ``RegisterCaseDialog.build_draft``. Keyboard first: Tab walks the cells, Enter
moves to the next party and, on the last row, adds one. Names of parties,
lawyers and law firms complete from the database as they are typed (looked up in
the background); choosing a known party or lawyer fills the rest of the row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from courtdesk.domain.parties import PartyKind
from courtdesk.services import lookup
from courtdesk.services.lookup import KnownLawyer, KnownParty
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner
from courtdesk.ui.widgets import if_alive

Index = QModelIndex | QPersistentModelIndex
NAME_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
LOOKUP_DELAY_MS = 150


@dataclass(frozen=True)
class PartyColumn:
    key: str  # the field (problem keys parties.N.<key> mark this column)
    title: str
    width: float  # in widths of 中
    edit: str = "text"  # text, role, kind, or a lookup: party, lawyer, firm


PARTY_COLUMNS: tuple[PartyColumn, ...] = (
    PartyColumn("role", "诉讼地位", 5, "role"),
    PartyColumn("kind", "类别", 7, "kind"),
    PartyColumn("name", "姓名/名称", 9, "party"),
    PartyColumn("id_number", "身份证号/信用代码", 11),
    PartyColumn("phone", "电话", 7.5),
    PartyColumn("address", "地址", 14),
    PartyColumn("legal_representative", "法定代表人", 5.5),
    PartyColumn("agent_name", "代理人", 5, "lawyer"),
    PartyColumn("agent_firm", "律师事务所", 9, "firm"),
    PartyColumn("agent_licence", "律师执业证号", 10),
    # 送达地址确认书 signed at filing: the confirmed address ("同上": the address above)
    # and, for consent to electronic service, the mobile number or e-mail to use
    # (filled: the party consents; empty: it does not).
    PartyColumn("service_address", "确认送达地址", 12),
    PartyColumn("e_service", "电子送达手机/邮箱", 10),
)
COL = {column.key: index for index, column in enumerate(PARTY_COLUMNS)}
KIND_LABELS = {
    PartyKind.PERSON.label: PartyKind.PERSON,
    PartyKind.ORGANISATION.label: PartyKind.ORGANISATION,
}
# A row with none of these filled is an untouched blank row, not a party.
IDENTIFYING_KEYS = ("name", "id_number", "address", "phone")


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor for a cell, with choices that may change (roles per case type)."""

    def __init__(self, choices: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        combo.addItems(self.choices)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data() or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText())


class TextDelegate(QStyledItemDelegate):
    """A line edit whose Enter finishes the cell and moves on to the next party."""

    advance = Signal()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(obj, QWidget)
        ):
            self.commitData.emit(obj)
            self.closeEditor.emit(obj, QAbstractItemDelegate.EndEditHint.NoHint)
            self.advance.emit()
            return True
        return super().eventFilter(obj, event)


class LookupDelegate(TextDelegate):
    """A line edit that completes from names already in the database."""

    def __init__(self, table: PartyTable, kind: str) -> None:
        super().__init__(table)
        self.table = table
        self.kind = kind

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setObjectName(f"{self.kind}Editor")
        model = QStandardItemModel(editor)
        completer = QCompleter(model, editor)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCompletionRole(NAME_ROLE)
        completer.setMaxVisibleItems(10)
        completer.setWidget(editor)
        row = index.row()
        # What each suggestion stands for, by row (kept in Python, not in Qt item data).
        known: list[Any] = []
        timer = QTimer(editor, singleShot=True, interval=LOOKUP_DELAY_MS)
        editor.textEdited.connect(lambda _text: timer.start())
        timer.timeout.connect(lambda: self.table.look_up(self.kind, editor, completer, known))

        def chosen(index: QModelIndex) -> None:
            editor.setText(str(index.data(NAME_ROLE)))
            if 0 <= index.row() < len(known):
                self.table.apply_known(row, known[index.row()])

        # The completer only suggests (setWidget, not setCompleter): choosing puts the
        # plain name in the cell and fills the rest of the row.
        completer.activated[QModelIndex].connect(chosen)  # type: ignore[index]
        return editor


class PartyTable(QTableWidget):
    """The parties of a new case, edited in place."""

    lookup_done = Signal(str, int)  # kind, number of suggestions (tests wait on it)

    def __init__(self, ws: Workspace, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(0, len(PARTY_COLUMNS), parent)
        self._ws = ws
        self._runner = runner
        self.default_role: Callable[[int], str] = lambda _row: ""
        self.setObjectName("parties")
        self.setHorizontalHeaderLabels([c.title for c in PARTY_COLUMNS])
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        char = self.fontMetrics().horizontalAdvance("中")
        for index, column in enumerate(PARTY_COLUMNS):
            self.setColumnWidth(index, int(char * column.width) + 12)
        # Every column side by side, with the frame and a vertical scroll bar.
        self.full_width = (
            sum(self.columnWidth(i) for i in range(len(PARTY_COLUMNS)))
            + 2 * self.frameWidth()
            + self.verticalScrollBar().sizeHint().width()
        )
        self.horizontalHeader().setSectionResizeMode(COL["address"], QHeaderView.ResizeMode.Stretch)
        self.role_delegate = ChoiceDelegate([], self)
        self._delegates: list[QStyledItemDelegate] = []
        for index, column in enumerate(PARTY_COLUMNS):
            delegate: QStyledItemDelegate
            if column.edit == "role":
                delegate = self.role_delegate
            elif column.edit == "kind":
                delegate = ChoiceDelegate(list(KIND_LABELS), self)
            elif column.edit in ("party", "lawyer", "firm"):
                delegate = LookupDelegate(self, column.edit)
            else:
                delegate = TextDelegate(self)
            if isinstance(delegate, TextDelegate):
                delegate.advance.connect(self.advance, Qt.ConnectionType.QueuedConnection)
            self._delegates.append(delegate)
            self.setItemDelegateForColumn(index, delegate)

    # ------------------------------------------------------------ rows
    def add_party(self) -> int:
        row = self.rowCount()
        self.insertRow(row)
        for column in range(len(PARTY_COLUMNS)):
            self.setItem(row, column, QTableWidgetItem(""))
        self.set_cell(row, "role", self.default_role(row))
        self.set_cell(row, "kind", PartyKind.PERSON.label)
        self.setCurrentCell(row, COL["name"])
        return row

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.selectedIndexes()}, reverse=True)
        for row in rows:
            self.removeRow(row)

    def advance(self) -> None:
        """Enter: on to the next party's name, adding a party after the last one."""
        row = self.currentRow()
        if row >= self.rowCount() - 1:
            row = self.add_party()
        else:
            row += 1
        self.setCurrentCell(row, COL["name"])
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self.advance()
            return
        super().keyPressEvent(event)

    def cell(self, row: int, key: str) -> str:
        item = self.item(row, COL[key])
        return item.text().strip() if item else ""

    def set_cell(self, row: int, key: str, value: str) -> None:
        item = self.item(row, COL[key])
        if item is None:
            item = QTableWidgetItem()
            self.setItem(row, COL[key], item)
        item.setText(value)

    def fill_party(self, row: int, **values: str) -> None:
        """Type values into a party row (used by keyboard macros and tests alike)."""
        for key, value in values.items():
            self.set_cell(row, key, value)

    def is_blank(self, row: int) -> bool:
        return not any(self.cell(row, key) for key in IDENTIFYING_KEYS)

    def party_rows(self) -> list[int]:
        """The rows that hold a party (blank rows are skipped), in order."""
        return [row for row in range(self.rowCount()) if not self.is_blank(row)]

    # ------------------------------------------------------------ lookups
    def look_up(
        self, kind: str, editor: QLineEdit, completer: QCompleter, known: list[Any]
    ) -> None:
        """Fetch suggestions for what is typed in ``editor`` in the background into ``known``."""
        text = editor.text().strip()
        if not text:
            return
        ws = self._ws
        fetch: Callable[[], list[Any]]
        if kind == "party":
            fetch = lambda: lookup.known_parties(ws, text)  # noqa: E731
        elif kind == "lawyer":
            fetch = lambda: lookup.known_lawyers(ws, text)  # noqa: E731
        else:
            fetch = lambda: lookup.known_firms(ws, text)  # noqa: E731

        def show(found: list[Any]) -> None:
            if not shiboken6.isValid(editor) or editor.text().strip() != text:
                self.lookup_done.emit(kind, -1)  # the cell moved on; a newer lookup follows
                return
            model = completer.model()
            assert isinstance(model, QStandardItemModel)
            model.clear()
            known[:] = found
            for entry in found:
                if isinstance(entry, str):
                    name = label = detail = entry
                elif isinstance(entry, KnownParty):
                    name, label, detail = entry.name, entry.label, entry.identity
                else:
                    name, label, detail = entry.name, entry.label, entry.law_firm
                item = QStandardItem(label)
                item.setData(name, NAME_ROLE)
                item.setData(detail, DETAIL_ROLE)  # the ID or the firm, to tell entries apart
                item.setEditable(False)
                model.appendRow(item)
            if found and editor.isVisible():
                completer.complete()
            self.lookup_done.emit(kind, len(found))

        self._runner.run(fetch, if_alive(self, show))

    def apply_known(self, row: int, known: object) -> None:
        """Fill a row from a party or lawyer chosen among the suggestions."""
        if isinstance(known, KnownParty):
            self.fill_party(
                row,
                kind=PartyKind(known.kind).label,
                id_number=known.identity,
                phone=known.phone,
                address=known.address,
                legal_representative=known.legal_representative,
            )
        elif isinstance(known, KnownLawyer):
            self.fill_party(row, agent_firm=known.law_firm, agent_licence=known.licence_number)
