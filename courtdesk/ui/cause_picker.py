"""Choosing a 案由: a line edit that suggests causes as the clerk types (characters or
pinyin initials), and a searchable tree (F4 or the 选择 button) to browse them all."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from courtdesk.services import causes
from courtdesk.services.causes import CauseMatch, CauseNode
from courtdesk.ui.widgets import fit_to_screen, named

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
NODE_ROLE = Qt.ItemDataRole.UserRole + 2
MATCH_ROLE = Qt.ItemDataRole.UserRole + 3


class CauseEdit(QLineEdit):
    """The 案由 field: typing shows the best matches; F4 opens the whole tree."""

    browse_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.type_code = "民初"
        self.suggestions = QStandardItemModel(self)
        self.completer_ = QCompleter(self.suggestions, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        # The popup shows "name（where）"; choosing inserts just the name (the edit role).
        self.completer_.setCompletionRole(NAME_ROLE)
        self.completer_.setMaxVisibleItems(12)
        self.completer_.setWidget(self)
        # The QModelIndex overload: the chosen row's data, not just its text.
        self.completer_.activated[QModelIndex].connect(self._chosen)  # type: ignore[index]
        self.textEdited.connect(self.suggest)
        self.setPlaceholderText("输入案由或拼音首字母（如 mjjd），F4 浏览案由表")

    def set_type(self, type_code: str) -> None:
        self.type_code = type_code

    def suggest(self, text: str | None = None) -> list[CauseMatch]:
        """Fill the suggestion popup for what is typed (the type's common causes when empty)."""
        found = causes.search(self.type_code, self.text() if text is None else text)
        self.suggestions.clear()
        for match in found:
            item = QStandardItem(f"{match.name}　（{match.where or match.tree}）")
            item.setData(match.name, NAME_ROLE)
            item.setEditable(False)
            self.suggestions.appendRow(item)
        if found and self.isVisible():
            self.completer_.complete()
        elif not found and (popup := self.completer_.popup()) is not None:
            popup.hide()
        return found

    def _chosen(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.setText(str(index.data(NAME_ROLE)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_F4:
            self.browse_requested.emit()
            return
        popup = self.completer_.popup()
        if event.key() == Qt.Key.Key_Down and popup is not None and not popup.isVisible():
            self.suggest()
            return
        super().keyPressEvent(event)


class CauseTreeDialog(QDialog):
    """All causes for the case type as a tree; typing filters it (characters or initials)."""

    def __init__(self, type_code: str, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("选择案由")
        self.setObjectName("causeTreeDialog")
        self.chosen = ""
        self.filter_edit = named(QLineEdit(), "causeFilter")
        self.filter_edit.setPlaceholderText("筛选：案由中的字或拼音首字母，如 借贷、mjjd")
        self.filter_edit.setClearButtonEnabled(True)
        self.tree = named(QTreeWidget(), "causeTree")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.hint = QLabel("灰色条目为分类，不能作为案由；双击或按 Enter 选定")
        self.hint.setStyleSheet("color:#666")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("选定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept_current)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        fit_to_screen(self, char * 36, char * 40)

        # Items find their node by an index stored on them (Python wrappers of tree
        # items are not kept alive, so their id() cannot be a key).
        self._nodes: list[CauseNode] = []
        for tree in causes.trees_for(type_code):
            top = QTreeWidgetItem([tree.label])
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(top)
            for node in tree.nodes:
                self._add(top, node)
            top.setExpanded(True)
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.tree.itemActivated.connect(lambda item, _column: self._accept_item(item))
        self.filter_edit.returnPressed.connect(self._accept_first_visible)
        if current:
            self._select_name(current)

    def _add(self, parent: QTreeWidgetItem, node: CauseNode) -> None:
        item = QTreeWidgetItem([node.name])
        item.setData(0, NAME_ROLE, node.name if node.selectable else "")
        if not node.selectable:
            item.setForeground(0, Qt.GlobalColor.darkGray)
        item.setData(0, NODE_ROLE, len(self._nodes))
        self._nodes.append(node)
        parent.addChild(item)
        for child in node.children:
            self._add(item, child)

    def apply_filter(self, text: str) -> int:
        """Show the matching causes with their ancestors, expanded; returns how many match."""
        query = causes.normalise_query(text)
        shown = 0
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            if top is not None:
                shown += self._filter(top, query)
        return shown

    def _filter(self, item: QTreeWidgetItem, query: str) -> int:
        index = item.data(0, NODE_ROLE)
        node = None if index is None else self._nodes[int(index)]
        own = bool(node and node.selectable and (not query or causes.matches(node, query)))
        item.setData(0, MATCH_ROLE, own)
        below = 0
        for i in range(item.childCount()):
            child = item.child(i)
            if child is not None:
                below += self._filter(child, query)
        is_top = node is None
        item.setHidden(not (own or below or is_top or not query))
        if query:
            item.setExpanded(bool(below))
        elif not is_top:
            item.setExpanded(False)
        return int(own) + below

    def _select_name(self, name: str) -> None:
        iterator = QTreeWidgetItemIterator(self.tree)
        while item := iterator.value():
            if item.data(0, NAME_ROLE) == name:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return
            iterator += 1

    def _accept_first_visible(self) -> None:
        iterator = QTreeWidgetItemIterator(
            self.tree, QTreeWidgetItemIterator.IteratorFlag.NotHidden
        )
        while item := iterator.value():
            # The first cause that matches itself, not an ancestor shown for context.
            if item.data(0, NAME_ROLE) and item.data(0, MATCH_ROLE):
                self._accept_item(item)
                return
            iterator += 1

    def _accept_current(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self._accept_item(item)

    def _accept_item(self, item: QTreeWidgetItem) -> None:
        name = item.data(0, NAME_ROLE)
        if name:
            self.chosen = str(name)
            self.accept()
