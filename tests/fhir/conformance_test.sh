#!/usr/bin/env bash
# Every resource the mapper emits for the sample data and the FHIR test corpus,
# as collection and as transaction Bundles, and every DetectedIssue and
# OperationOutcome of the fhir response flavour, and the audit's MeasureReports, through both external validators
# (and the required-binding check) in one node run.
# Usage: conformance_test.sh CASECHECK_BINARY NODE SOURCE_DIR
set -eu -o pipefail
cli=$1 node=$2 source_dir=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count=0
for request in "$source_dir"/examples/data/*.json "$source_dir"/tests/fhir/corpus/*.json; do
    name=$(basename "$request" .json)
    "$cli" map "$request" >"$out/$name.collection.json" 2>/dev/null
    "$cli" map --bundle-type transaction "$request" >"$out/$name.transaction.json" 2>/dev/null
    # The prompts as FHIR: DetectedIssue per prompt and an OperationOutcome.
    "$cli" check --flavour fhir --as-of 2026-03-06T09:00:00Z "$request" >"$out/$name.prompts.json" 2>/dev/null || true
    count=$((count + 1))
done
# The criterion cases: their prompts as FHIR, and the draft resources their cards would create.
for case in "$source_dir"/tests/cases/*/*.json; do
    name=$(basename "$(dirname "$case")")-$(basename "$case" .json)
    request=$(node -e 'console.log(JSON.stringify(require(process.argv[1]).request))' "$case")
    "$cli" check --flavour fhir --as-of 2026-03-10T09:00:00Z - <<<"$request" >"$out/$name.prompts.json"
    "$cli" check --flavour cds-hooks --as-of 2026-03-10T09:00:00Z - <<<"$request" |
        node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{const r=[];for(const c of JSON.parse(t).cards)for(const s of c.suggestions||[])for(const a of s.actions||[])if(a.resource)r.push(a.resource);console.log(JSON.stringify(r))})' \
        >"$out/$name.created.json"
    # A case without a create action has nothing to validate.
    [ "$(cat "$out/$name.created.json")" != "[]" ] || rm "$out/$name.created.json"
    count=$((count + 1))
done
# The audit's MeasureReports, summary and subject-list, over generated cases of every record kind.
"$cli" generate --clients 40 --seed 11 --defect-rate 0.3 --as-of 2026-06-30T12:00:00Z >"$out/cases.ndjson"
"$cli" audit "$out/cases.ndjson" --as-of 2026-06-30T12:00:00Z --format fhir --out "$out/summary" --quiet
"$cli" audit "$out/cases.ndjson" --as-of 2026-06-30T12:00:00Z --format fhir --subjects --out "$out/subjects" --quiet
mv "$out/summary/measure-reports.json" "$out/audit.summary.json"
mv "$out/subjects/measure-reports.json" "$out/audit.subject-list.json"
rm -rf "$out/summary" "$out/subjects" "$out/cases.ndjson"
echo "mapped and checked $count requests, and audited generated cases"
"$node" "$source_dir/tests/fhir/conformance/validate.mjs" "$out"/*.json
