#!/usr/bin/env python3
"""Rewrites tests/text/corpus/shortfalls.json from a run of casecheck_text_accuracy.

Run it only after an improvement, and commit the result with the run's table: each
type below the bar is recorded at the precision and recall it has reached (rounded
down to 0.01), so the accuracy test fails on any regression.

usage: update_shortfalls.py BUILD/bin/casecheck_text_accuracy tests/text/corpus
"""
import json
import math
import re
import subprocess
import sys

accuracy, corpus = sys.argv[1], sys.argv[2]
output = subprocess.run([accuracy, corpus], capture_output=True, text=True).stdout
whole = output[output.index("whole corpus"):]
floors = {}
for line in whole.splitlines():
    match = re.match(r"\s+([A-Z_]+)\s+\d+\s+\d+\s+\d+\s+([\d.]+)\s+([\d.]+)(\s|$)", line)
    if not match or line.strip().startswith("modifier"):
        continue
    label, precision, recall = match.group(1), float(match.group(2)), float(match.group(3))
    if label in ("EXCEPTION", "FUTURE", "HISTORICAL", "NEGATED", "OTHER", "RATIONALE", "REPORTED", "UNCERTAIN", "WITHDRAWN"):
        continue
    if precision < 0.90 or recall < 0.85:
        floors[label] = {"precision": math.floor((precision - 0.0005) * 100) / 100, "recall": math.floor((recall - 0.0005) * 100) / 100}
with open(f"{corpus}/shortfalls.json", "w") as out:
    json.dump(floors, out, indent=2, sort_keys=True)
    out.write("\n")
print(json.dumps(floors, indent=2, sort_keys=True))
