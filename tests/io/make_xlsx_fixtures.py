#!/usr/bin/env python3
"""Writes the .xlsx fixtures of tests/unit/io/xlsx_test.cc with openpyxl, a second writer.

Usage: make_xlsx_fixtures.py OUTDIR [--corpus]

Each file holds what one test reads back; the expected values live in the test, next to its
assertions. openpyxl does not compute formulas: formula cells have no cached value (the test
has LibreOffice recalculate formulas.xlsx for that). With --corpus the same files serve as
the libFuzzer seed corpus.
"""
import datetime
import os
import sys

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904


def basic(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["名称", "数值", "日期", "日期时间", "布尔", "公式", "时间", "中文日期", "百分比"])
    ws.append(["甲", 258.4, datetime.date(2024, 6, 30), datetime.datetime(2024, 6, 30, 8, 30),
               True, "=B2*2", datetime.time(8, 30), datetime.date(2024, 6, 30), 0.153])
    ws.append(["乙", 1e-7, datetime.date(1900, 3, 1), datetime.datetime(2024, 7, 1, 23, 59, 59),
               False, None, None, None, None])
    ws.append(["丙", 12345678901, None, None, None, None, None, None, None])
    ws.append(["丁", -3.5, None, None, None, None, None, None, None])
    ws.append(["第一行\n第二行", 42, None, None, None, None, None, None, None])
    ws["H2"].number_format = 'yyyy"年"m"月"d"日"'
    ws["I2"].number_format = "0.00%"
    wb.save(path)


def two_sheets(path):
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本表为填报说明"])
    data = wb.create_sheet("数据")
    data.append(["单位编码", "数值"])
    data.append(["xd", 101])
    wb.save(path)


def date1904(path):
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["日期", "日期时间"])
    ws.append([datetime.date(2024, 6, 30), datetime.datetime(2024, 6, 30, 8, 30)])
    ws.append([datetime.date(1904, 1, 2), None])
    wb.save(path)


def merged_header(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进度"
    ws.append(["指标", "本月", None, "累计", None])
    ws.append([None, "绝对值", "增速", "绝对值", "增速"])
    ws.append(["地区生产总值", 258.4, 5.2, 1030.5, 6.1])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:C1")
    ws.merge_cells("D1:E1")
    ws.merge_cells("A10:C12")  # a merge below the header: not filled
    wb.save(path)


def formulas(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["数值", "两倍", "文字", "判断", "错误"])
    ws.append([258.4, "=A2*2", '="第"&A2', "=A2>100", "=1/0"])
    wb.save(path)


FIXTURES = {
    "basic.xlsx": basic,
    "two_sheets.xlsx": two_sheets,
    "date1904.xlsx": date1904,
    "merged_header.xlsx": merged_header,
    "formulas.xlsx": formulas,
}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, write in FIXTURES.items():
        write(os.path.join(out, name))


if __name__ == "__main__":
    main()
