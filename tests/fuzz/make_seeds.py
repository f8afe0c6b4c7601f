#!/usr/bin/env python3
"""Writes the seed corpus of tests/fuzz/xlsx_fuzz.cc into tests/fuzz/seeds/ (committed).

Usage: make_seeds.py [OUTDIR]   (needs python3-openpyxl)

Seeds: the openpyxl fixtures of the unit tests as whole .xlsx files, and the XML parts of
each, joined by 0xFF bytes in the harness's order (sheet, shared strings, styles, workbook,
workbook relationships), plus a few hand-written parts: inline and rich text, merged cells,
dates, a DTD.
"""
import os
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def parts_of(path):
    with zipfile.ZipFile(path) as z:
        names = z.namelist()

        def get(name):
            return z.read(name) if name in names else b""

        return b"\xff".join([get("xl/worksheets/sheet1.xml"), get("xl/sharedStrings.xml"),
                             get("xl/styles.xml"), get("xl/workbook.xml"),
                             get("xl/_rels/workbook.xml.rels")])


HAND = {
    "inline_rich_merge.parts": (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><r><t>指</t>'
        f'</r><r><t>标</t></r></is></c><c r="B1" t="s"><v>0</v></c></row><row><c t="b"><v>1</v>'
        f'</c><c s="1"><v>45473.5</v></c><c t="e"><v>#N/A</v></c><c t="str"><f>A1</f><v>x_x000D_'
        f'</v></c></row></sheetData><mergeCells><mergeCell ref="B1:D1"/></mergeCells></worksheet>'
        f'\xff<sst xmlns="{MAIN}"><si><t>本月</t><rPh><t>x</t></rPh></si></sst>'
        f'\xff<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年'
        f'&quot;m&quot;月&quot;"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/>'
        f'</cellXfs></styleSheet>'),
    "references_crlf.parts": (
        f'\ufeff<?xml version="1.0" encoding="utf-8" standalone="yes"?>\r\n<x:worksheet xmlns:x="{MAIN}">'
        f'<x:sheetData>\r\n<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>&#20013;&#x6587;'
        f'&lt;&amp;&gt;&quot;&apos;a\r\nb\rc]]</x:t></x:is></x:c><x:c r=\'B1\' t = "s" ><x:v>0</x:v>'
        f'</x:c></x:row></x:sheetData></x:worksheet>'
        f'\xff<sst xmlns="{MAIN}"><si><t xml:space="preserve"> 本月&#10;</t></si></sst>'),
    "comment_after_rows.parts": (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>名称</t>'
        f'</is></c></row><row r="2"><c r="A2"><v>1</v></c></row><!-- 备注 --><row r="3"><c r="A3">'
        f'<v>2</v></c></row></sheetData></worksheet>'),
    "doctype.parts": (
        '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "seeds")
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(HERE, "..", "io", "make_xlsx_fixtures.py"),
                        tmp], check=True)
        for name in sorted(os.listdir(tmp)):
            with open(os.path.join(tmp, name), "rb") as f:
                data = f.read()
            with open(os.path.join(out, name), "wb") as f:
                f.write(data)
            with open(os.path.join(out, name[:-5] + ".parts"), "wb") as f:
                f.write(parts_of(os.path.join(tmp, name)))
    for name, text in HAND.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(b"\xff".join(part.encode() for part in text.split("\xff")))


if __name__ == "__main__":
    main()
