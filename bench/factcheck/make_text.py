#!/usr/bin/env python3
"""Writes a large report text for the fact-check benchmark: the two corpus texts and the
paragraphs of tests/data/factcheck/general, over and over, each copy with its Arabic figures
changed (so that the text is not one block repeated and the checks meet new values), until
the size given in MB is reached. Usage: make_text.py OUT_FILE MB [SEED]"""
import random
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[2]
sources = sorted((root / 'tests/data/factcheck/corpus').glob('*.txt')) + sorted(
    (root / 'tests/data/factcheck/general').glob('*.txt'))
texts = [p.read_text(encoding='utf-8') for p in sources]
out, mb = sys.argv[1], float(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
number = re.compile(r'\d+(\.\d+)?')


def vary(m):
    text = m.group(0)
    if len(text) == 4 and text.startswith('20'):
        return text  # keep years
    digits = [c if c == '.' else str(rng.randint(0, 9)) for c in text]
    if digits[0] == '0' and len(digits) > 1 and digits[1] != '.':
        digits[0] = '1'
    return ''.join(digits)


target = int(mb * 1024 * 1024)
size = 0
with open(out, 'w', encoding='utf-8') as f:
    i = 0
    while size < target:
        t = number.sub(vary, texts[i % len(texts)])
        f.write(t)
        f.write('\n')
        size += len(t.encode('utf-8')) + 1
        i += 1
print(f'{out}: {size} bytes, {i} texts')
