#!/usr/bin/python3
"""Writes a project import sheet of N rows (default 20,000) for bench/excel/run.sh.

Reads an export of the demo's projects (`tiaodu export projects`) for its header and rows,
and deals them out again under new codes (BX-000001 ...) with varied names, amounts and
years, so that every row is a new project that passes every check: real unit codes,
leaders and task forces of the demo database, plans within the years and the total.
Written with openpyxl (write-only), as a user's tool would write it.

usage: make_sheet.py EXPORT.xlsx OUT.xlsx [ROWS]
"""
import datetime
import random
import sys

import openpyxl


def main(argv):
    src, out = argv[1], argv[2]
    n = int(argv[3]) if len(argv) > 3 else 20000
    wb = openpyxl.load_workbook(src, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header = [h.lstrip('*') if isinstance(h, str) else h for h in rows[0]]
    data = [r for r in rows[1:] if r and r[0]]
    col = {h: i for i, h in enumerate(header)}
    plan_cols = [(int(h[:4]), i) for i, h in enumerate(header) if isinstance(h, str) and '年计划投资' in h]
    rnd = random.Random(20240601)
    wb_out = openpyxl.Workbook(write_only=True)
    ws = wb_out.create_sheet('重点项目')
    ws.append(header)
    for k in range(n):
        base = list(data[k % len(data)])
        base[col['项目编码']] = 'BX-%06d' % (k + 1)
        base[col['项目名称']] = '%s（%d期）' % (base[col['项目名称']], k // len(data) + 2)
        start = rnd.randint(2023, 2026)
        end = start + rnd.randint(1, 4)
        total = rnd.randint(10, 8000) / 100.0  # 0.1–80亿元
        base[col['开工年份']] = str(start)
        base[col['竣工年份']] = str(end)
        base[col['总投资(亿元)']] = total
        base[col['承诺完工日期']] = datetime.date(end, rnd.randint(1, 12), 28)
        years = [y for y, _ in plan_cols if start <= y <= end]
        for y, i in plan_cols:
            base[i] = round(total / (len(years) + 1), 2) if y in years else None
        ws.append(base)
    wb_out.save(out)


if __name__ == '__main__':
    main(sys.argv)
