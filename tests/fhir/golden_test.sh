#!/usr/bin/env bash
# The Bundles for the sample records against the golden files, which were
# checked by hand against the R4 element tables. JSON is compared as data
# (the golden files are indented for reading); XML byte for byte.
# Usage: golden_test.sh CASECHECK_BINARY EXAMPLES_DATA_DIR GOLDEN_DIR PYTHON
set -u
cli=$1 data=$2 golden=$3 python=$4
failures=0
for sample in case-ada late-entry-ok unattributed-note; do
    if ! "$cli" map "$data/$sample.json" 2>/dev/null |
        "$python" -c 'import json, sys; sys.exit(json.load(sys.stdin) != json.load(open(sys.argv[1])))' "$golden/$sample.bundle.json"; then
        echo "FAIL: the FHIR JSON for $sample differs from $golden/$sample.bundle.json"
        failures=$((failures + 1))
    fi
done
if ! "$cli" map --xml "$data/case-ada.json" 2>/dev/null | diff -u "$golden/case-ada.bundle.xml" - >/dev/null; then
    echo "FAIL: the FHIR XML for case-ada differs from $golden/case-ada.bundle.xml"
    failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && echo "golden Bundles match" || exit 1
