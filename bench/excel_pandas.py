#!/usr/bin/env python3
"""The Python side of the Excel benchmark (bench/excel-run.mjs):

    python bench/excel_pandas.py write <retail.csv> <out.xlsx>   Online-Retail CSV -> .xlsx (openpyxl write_only)
    python bench/excel_pandas.py read <file.xlsx>                pandas.read_excel (openpyxl engine), timed

`write` types cells as the UCI workbook does: InvoiceDate a date, Quantity/UnitPrice/CustomerID numbers, InvoiceNo
and StockCode numbers when all digits, else text (C536379, 85123A), blanks empty. `read` prints one JSON line:
{ms, rows, quantity_sum, versions}. Needs openpyxl and pandas (bench/excel-run.mjs makes a venv with them).
"""
import csv
import datetime as dt
import json
import platform
import sys
import time


def write(csv_path, xlsx_path):
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Online Retail")
    with open(csv_path, newline="", encoding="utf-8") as source:
        rows = csv.reader(source)
        header = next(rows)
        ws.append(header)
        col = {name: i for i, name in enumerate(header)}
        for row in rows:
            out = []
            for name, value in zip(header, row):
                if value == "":
                    out.append(None)
                elif name == "InvoiceDate":
                    out.append(dt.datetime.strptime(value, "%m/%d/%Y %H:%M"))
                elif name in ("Quantity", "CustomerID"):
                    out.append(int(float(value)))
                elif name == "UnitPrice":
                    out.append(float(value))
                elif name in ("InvoiceNo", "StockCode") and value.isdigit():
                    out.append(int(value))
                else:
                    out.append(value)
            ws.append(out)
    del col
    wb.save(xlsx_path)


def read(xlsx_path):
    import openpyxl
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_excel(xlsx_path, engine="openpyxl")
    ms = (time.perf_counter() - started) * 1000
    print(json.dumps({
        "ms": round(ms, 1),
        "rows": int(len(frame)),
        "quantity_sum": int(frame["Quantity"].sum()),
        "versions": f"pandas {pd.__version__}, openpyxl {openpyxl.__version__}, python {platform.python_version()}",
    }))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "read":
        read(sys.argv[2])
    else:
        sys.exit(__doc__)
