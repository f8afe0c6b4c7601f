#!/usr/bin/env python3
"""A second xlsx reader for tests: prints a workbook as JSON, read with openpyxl.

    read_xlsx.py FILE            every sheet in full (small workbooks)
    read_xlsx.py --count FILE    read_only mode: each sheet's name and how many rows it has
    read_xlsx.py --parts FILE    the names of the parts in the zip archive

Full form:
{"properties": {"title": ..., "creator": ...},
 "sheets": [{"name": ..., "state": "visible"|"hidden", "freeze": "A3"|null,
             "merged": ["A1:C1"], "widths": {"A": 20.0},
             "validations": [{"sqref": "B3:B10002", "type": "list", "formula1": "\"a,b\""}],
             "rows": [[null | {"t": "string"|"number"|"date"|"bool"|"formula", "v": ...,
                               "fmt": "0.00", "bold": true, "size": 14.0,
                               "color": "FFC00000", "fill": "FFD9E1F2",
                               "comment": "..."}]]}]}
Cells hold only the keys that apply (no "bold" when not bold, and so on). A date is written
as "YYYY-MM-DD" (with "THH:MM:SS" when it has a time). Exit status 2 when openpyxl is missing.
"""

import datetime
import json
import sys
import zipfile

try:
    import openpyxl
except ImportError:  # the test skips on this
    print("openpyxl is not installed", file=sys.stderr)
    sys.exit(2)


def color(c):
    if c is None or c.type != "rgb" or not isinstance(c.rgb, str):
        return None
    return c.rgb


def cell_json(cell):
    v = cell.value
    out = {}
    if cell.data_type == "f":
        out["t"], out["v"] = "formula", str(v)
    elif v is None:
        out["t"] = "empty"
    elif isinstance(v, bool):
        out["t"], out["v"] = "bool", v
    elif isinstance(v, (int, float)):
        out["t"], out["v"] = "number", v
    elif isinstance(v, datetime.datetime):
        out["t"] = "date"
        out["v"] = v.date().isoformat() if v.time() == datetime.time() else v.isoformat()
    elif isinstance(v, datetime.date):
        out["t"], out["v"] = "date", v.isoformat()
    else:
        out["t"], out["v"] = "string", str(v)
    if cell.number_format and cell.number_format != "General":
        out["fmt"] = cell.number_format
    if cell.font is not None:
        if cell.font.b:
            out["bold"] = True
        if cell.font.sz and float(cell.font.sz) != 11.0:
            out["size"] = float(cell.font.sz)
        fc = color(cell.font.color)
        if fc and fc not in ("FF000000",):
            out["color"] = fc
    if cell.fill is not None and cell.fill.fill_type == "solid":
        out["fill"] = color(cell.fill.fgColor)
    if cell.comment is not None:
        out["comment"] = cell.comment.text
    if out == {"t": "empty"}:
        return None
    return out


def full(path):
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            cells = [cell_json(c) for c in row]
            while cells and cells[-1] is None:
                cells.pop()
            rows.append(cells)
        while rows and not rows[-1]:
            rows.pop()
        sheets.append({
            "name": ws.title,
            "state": ws.sheet_state,
            "freeze": ws.freeze_panes,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.width},
            "validations": [{"sqref": str(dv.sqref), "type": dv.type, "formula1": dv.formula1}
                            for dv in ws.data_validations.dataValidation],
            "rows": rows,
        })
    props = wb.properties
    return {"properties": {"title": props.title, "creator": props.creator}, "sheets": sheets}


def count(path):
    wb = openpyxl.load_workbook(path, read_only=True)
    sheets = []
    for ws in wb.worksheets:
        n = 0
        for _ in ws.iter_rows(values_only=True):
            n += 1
        sheets.append({"name": ws.title, "rows": n})
    wb.close()
    return {"sheets": sheets}


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {"parts": z.namelist()}


def main(argv):
    if len(argv) == 3 and argv[1] == "--count":
        result = count(argv[2])
    elif len(argv) == 3 and argv[1] == "--parts":
        result = parts(argv[2])
    elif len(argv) == 2:
        result = full(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 64
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
