"""The 工具 menu's calculators: litigation fees, private-lending interest, periods,
and the administrator's LPR table and holiday-year screens."""
