#!/usr/bin/env bash
# The audit from the command line, against ground truth:
#  1. generated cases with known injected defects: every criterion's measured
#     numerator and denominator equal the generator's truth exactly;
#  2. sharding equals one run: four shards audited apart and merged from their
#     saved states give byte-identical reports to one audit of the whole input;
#  3. determinism: 1, 2 and 3 threads give byte-identical reports;
#  4. a broken line is reported with its file and line, and nothing else changes.
# Usage: audit_cli_test.sh CASECHECK_BINARY PYTHON
set -eu -o pipefail
cli=$1 python=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
as_of=2026-06-30T12:00:00Z
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cli" generate --clients 1500 --seed 20261122 --defect-rate 0.25 --as-of "$as_of" --out "$work/cases.ndjson" --truth "$work/truth.json"
"$cli" audit "$work/cases.ndjson" --as-of "$as_of" --out "$work/whole" --format json,csv,fhir,html --threads 2 --quiet

# 1. Ground truth.
"$python" - "$work/whole/report.json" "$work/truth.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
truth = json.load(open(sys.argv[2]))
problems = []
if report["input"]["cases"] != truth["cases"]:
    problems.append(f"cases: audited {report['input']['cases']}, generated {truth['cases']}")
if report["input"]["records"] != sum(truth["records"].values()):
    problems.append(f"records: audited {report['input']['records']}, generated {sum(truth['records'].values())}")
seen = set()
with_defects = 0
for c in report["criteria"]:
    cid = c["id"]
    seen.add(cid)
    judged = sum(truth["records"][kind] for kind in c["applies_to"])
    expected_noncompliant = truth["noncompliant"].get(cid)
    if expected_noncompliant is None:
        problems.append(f"{cid}: not in the truth file")
        continue
    if c["denominator"] != judged:
        problems.append(f"{cid}: denominator {c['denominator']}, generated records of {c['applies_to']}: {judged}")
    if c["denominator"] - c["numerator"] != expected_noncompliant:
        problems.append(f"{cid}: {c['denominator'] - c['numerator']} non-compliant records measured, {expected_noncompliant} injected")
    with_defects += expected_noncompliant > 0
for cid in truth["noncompliant"]:
    if cid not in seen:
        problems.append(f"{cid}: in the truth file, not in the report")
if with_defects < 25:
    problems.append(f"only {with_defects} criteria had injected defects; the test would prove little")
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"ground truth: {len(seen)} criteria match exactly ({with_defects} with injected defects)")
EOF

# 2. Sharding equals one run: four shards by line, each audited alone, merged from saved states.
for shard in 0 1 2 3; do
    awk -v shard="$shard" 'NR % 4 == shard' "$work/cases.ndjson" >"$work/shard$shard.ndjson"
    "$cli" audit "$work/shard$shard.ndjson" --as-of "$as_of" --out "$work/shard$shard" --format state --threads 1 --quiet
done
"$cli" merge "$work"/shard{2,0,3,1}/audit-state.json --as-of "$as_of" --out "$work/merged" --format json,csv,fhir,html --quiet
for file in report.json report.csv measure-reports.json report.html; do
    cmp -s "$work/whole/$file" "$work/merged/$file" || fail "merged shards differ from one run in $file"
done
echo "sharding: 4 shards merged give byte-identical json, csv, fhir and html"

# 3. Determinism across thread counts.
for threads in 1 3; do
    "$cli" audit "$work/cases.ndjson" --as-of "$as_of" --out "$work/threads$threads" --format json,csv,fhir,html --threads "$threads" --quiet
    for file in report.json report.csv measure-reports.json report.html; do
        cmp -s "$work/whole/$file" "$work/threads$threads/$file" || fail "$threads threads differ from 2 in $file"
    done
done
echo "determinism: 1, 2 and 3 threads give byte-identical reports"

# 4. A broken line in the middle: listed by file and line, counted, and the rest audited as before.
{ head -n 700 "$work/cases.ndjson"; echo '{"case": "broken", "records": ['; tail -n +701 "$work/cases.ndjson"; } >"$work/with-bad-line.ndjson"
"$cli" audit "$work/with-bad-line.ndjson" --as-of "$as_of" --out "$work/bad" --format json --quiet
"$python" - "$work/whole/report.json" "$work/bad/report.json" "$work/with-bad-line.ndjson" <<'EOF'
import json, sys
whole, bad = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert bad["input"]["rejected_lines"] == 1, bad["input"]
assert bad["rejections"] == [{"source": sys.argv[3], "line": 701, "status": "E_PARSE", "message": bad["rejections"][0]["message"]}], bad["rejections"]
assert "line 1" in bad["rejections"][0]["message"] or "column" in bad["rejections"][0]["message"], bad["rejections"][0]
assert bad["criteria"] == whole["criteria"], "the broken line changed the counts"
print("bad input: line 701 reported, every count unchanged")
EOF
