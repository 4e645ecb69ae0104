#!/usr/bin/env python3
"""Write the small .xlsx fixtures of tests/unit/data/excel.test.ts with reference writers (openpyxl, XlsxWriter),
then print what pandas.read_excel (openpyxl engine) reads from each, the values the tests compare against.

Regenerate (the files are committed; run this only to change them):
    python3 -m venv /tmp/xlsx-venv && /tmp/xlsx-venv/bin/pip install openpyxl pandas xlsxwriter
    /tmp/xlsx-venv/bin/python scripts/make-xlsx-fixtures.py
The writers stamp creation times into docProps/core.xml, so the bytes differ per run; the cells do not.
"""
import datetime as dt
import os

import openpyxl
import pandas as pd
import xlsxwriter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "excel")


def basic(path):
    """openpyxl: inline strings (openpyxl writes every string inline), dates, ints, floats, blanks, a mixed column,
    booleans, a blank row between data rows, and a second sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sales"
    ws.append(["InvoiceNo", "InvoiceDate", "Quantity", "UnitPrice", "Description", "CustomerID", "Paid"])
    ws.append(["536365", dt.datetime(2010, 12, 1, 8, 26), 6, 2.55, "WHITE HANGING HEART T-LIGHT HOLDER", 17850, True])
    ws.append([536366, dt.datetime(2010, 12, 1, 8, 28), 6, 1.85, "HAND WARMER UNION JACK", None, False])
    ws.append(["C536379", dt.datetime(2010, 12, 1, 9, 41), -1, 27.5, "Discount & <more>", 14527, None])
    ws.append([])
    ws.append([536381, dt.datetime(1900, 1, 15, 12, 0), 12, 0.1, None, 15311, True])
    notes = wb.create_sheet("Notes")
    notes.append(["Key", "Value"])
    notes.append(["alpha", 1.5])
    notes.append(["beta", 2.25])
    wb.save(path)


def shared(path):
    """XlsxWriter: shared strings (XlsxWriter's default), a custom date format, a rich string, blanks."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Orders")
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["Country", "OrderDate", "Amount", "Item"])
    rows = [
        ("United Kingdom", dt.datetime(2011, 1, 4, 10, 0), 15.3, "mug"),
        ("France", dt.datetime(2011, 1, 5, 13, 30), 120, None),
        ("United Kingdom", None, 7, "mug"),
    ]
    for r, (country, date, amount, item) in enumerate(rows, start=1):
        ws.write_string(r, 0, country)
        if date is not None:
            ws.write_datetime(r, 1, date, when)
        ws.write_number(r, 2, amount)
        if item is not None:
            ws.write_string(r, 3, item)
    ws.write_rich_string(4, 0, bold, "Ger", "many")
    ws.write_datetime(4, 1, dt.datetime(2011, 2, 1), when)
    ws.write_number(4, 2, 3.25)
    ws.write_string(4, 3, "plate")
    wb.close()


def date1904(path):
    """openpyxl with the 1904 date system (old Mac Excel)."""
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Mac"
    ws.append(["Day", "Count"])
    ws.append([dt.datetime(2011, 12, 9, 12, 50), 3])
    ws.append([dt.datetime(1904, 1, 2), 4])
    wb.save(path)


def merged(path):
    """openpyxl: a title merged across the header row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Report"
    ws.append(["Sales by month", None, "Units"])
    ws.merge_cells("A1:B1")
    ws.append(["2011-01", 10, 3])
    wb.save(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {"basic.xlsx": basic, "shared-strings.xlsx": shared, "date1904.xlsx": date1904, "merged-header.xlsx": merged}
    for name, write in files.items():
        path = os.path.join(OUT, name)
        write(path)
        for sheet, frame in pd.read_excel(path, sheet_name=None, engine="openpyxl").items():
            print(f"--- {name} / {sheet}: pandas {pd.__version__}, openpyxl {openpyxl.__version__}")
            print(frame.dtypes.to_dict())
            print(frame.to_dict(orient="records"))


if __name__ == "__main__":
    main()
