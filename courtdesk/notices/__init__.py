"""Printed documents (reportlab): fonts, page layout, one module per notice.

Takes plain data from services and returns PDF bytes; never touches the database.
"""
