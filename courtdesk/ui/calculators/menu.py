"""The 工具 menu: each calculator, and the administrator's LPR and holiday tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenuBar

from courtdesk.services.permissions import Permission, allowed
from courtdesk.services.workspace import Workspace
from courtdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from courtdesk.ui.calculators.fee_dialog import FeeDialog
    from courtdesk.ui.calculators.holiday_year_dialog import HolidayYearDialog
    from courtdesk.ui.calculators.lending_dialog import LendingDialog
    from courtdesk.ui.calculators.lpr_dialog import LprDialog
    from courtdesk.ui.calculators.period_dialog import PeriodDialog

D = TypeVar("D", bound=QDialog)


class ToolsMenu(QObject):
    def __init__(
        self, window: QMainWindow, ws: Workspace, runner: TaskRunner, menu_bar: QMenuBar
    ) -> None:
        super().__init__(window)
        self._window = window
        self._ws = ws
        self._runner = runner
        self.menu = menu_bar.addMenu("工具(&T)")
        self.menu.setObjectName("toolsMenu")
        may_calculate = allowed(ws.actor, Permission.USE_CALCULATORS)
        self.fee_action = self._action(
            "诉讼费计算(&F)…", "feeAction", "Ctrl+Shift+F", self.open_fee
        )
        self.lending_action = self._action(
            "民间借贷利息计算(&L)…", "lendingAction", "Ctrl+Shift+L", self.open_lending
        )
        self.period_action = self._action(
            "期间计算(&P)…", "periodAction", "Ctrl+Shift+P", self.open_period
        )
        for action in (self.fee_action, self.lending_action, self.period_action):
            action.setEnabled(may_calculate)
        self.menu.addSeparator()
        self.lpr_action = self._action("LPR 报价表(&R)…", "lprAction", "", self.open_lpr)
        self.holidays_action = self._action(
            "节假日安排(&H)…", "holidaysAction", "", self.open_holidays
        )

    def _action(self, text: str, name: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: slot())
        self.menu.addAction(action)
        return action

    # Each dialog is imported when first opened: the calculation sheets bring
    # reportlab, which start-up does not need.
    def _show(self, dialog: D) -> D:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def open_fee(self) -> FeeDialog:
        from courtdesk.ui.calculators.fee_dialog import FeeDialog

        return self._show(FeeDialog(self._ws, self._runner, self._window))

    def open_lending(self) -> LendingDialog:
        from courtdesk.ui.calculators.lending_dialog import LendingDialog

        return self._show(LendingDialog(self._ws, self._runner, self._window))

    def open_period(self) -> PeriodDialog:
        from courtdesk.ui.calculators.period_dialog import PeriodDialog

        return self._show(PeriodDialog(self._ws, self._runner, self._window))

    def open_lpr(self) -> LprDialog:
        from courtdesk.ui.calculators.lpr_dialog import LprDialog

        return self._show(LprDialog(self._ws, self._runner, self._window))

    def open_holidays(self) -> HolidayYearDialog:
        from courtdesk.ui.calculators.holiday_year_dialog import HolidayYearDialog

        return self._show(HolidayYearDialog(self._ws, self._runner, self._window))
