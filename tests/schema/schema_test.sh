#!/usr/bin/env bash
# The sample data and the plugin's real responses against the published schemas.
# Usage: schema_test.sh PYTHON SOURCE_DIR CASECHECK_BINARY
set -eu -o pipefail
python=$1
source_dir=$2
cli=$3
validate="$python $source_dir/tests/schema/validate.py $source_dir/sdk/schema"
data=$source_dir/examples/data

$validate record.schema.json "$data/case-ada.json" "$data/late-entry-ok.json" "$data/unattributed-note.json"
# The batch sample carries one deliberately malformed record.
$validate record.schema.json --expect-invalid "$data/batch.json"
for sample in "$data"/*.json; do
    echo "response for $(basename "$sample"):"
    "$cli" check --json --as-of 2026-03-06T09:00:00Z "$sample" | $validate prompt.schema.json -
done
# The CDS Hooks flavour against the CDS Hooks 2.0 response schema.
for sample in "$data"/*.json; do
    echo "cards for $(basename "$sample"):"
    "$cli" check --flavour cds-hooks --as-of 2026-03-06T09:00:00Z "$sample" | $validate cds-hooks.schema.json -
done
# And for the criterion cases, whose cards carry create actions (draft Consents).
for case in "$source_dir"/tests/cases/*/*.json; do
    "$python" -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1]))["request"]))' "$case" |
        "$cli" check --flavour cds-hooks --as-of 2026-03-10T09:00:00Z - | $validate cds-hooks.schema.json - >/dev/null ||
        { echo "cards for $case do not match the schema"; exit 1; }
done
echo "cards for $(ls "$source_dir"/tests/cases/*/*.json | wc -l) criterion cases match the schema"
