#!/usr/bin/env bash
# The audit's HTML report in a real browser: a few hundred generated clients (six teams, a year
# and more of months, one record in five with a defect) audited to report.html and report.json,
# then tests/audit/browser/render_report.mjs opens the page in Debian's headless Chromium, checks
# its three charts against report.json and that it logged no error and fetched nothing, and takes
# a screenshot. Its --self-test then damages copies of the page (a chart deleted or hidden, marks
# missing, an image and a script the CSP blocks) and each must fail, so the checks can fail at all.
# Usage: html_render_test.sh CASECHECK_BINARY NODE
set -eu -o pipefail
cli=$1 node=$2
browser=$(cd "$(dirname "$0")" && pwd)/browser
if [ ! -f "$browser/node_modules/playwright-core/package.json" ]; then
    echo "html_render_test: playwright-core is not installed in $browser; run bash .ci/setup-node" >&2
    exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$cli" generate --clients 300 --seed 11 --defect-rate 0.2 --as-of 2026-06-30T12:00:00Z >"$out/cases.ndjson"
"$cli" audit "$out/cases.ndjson" --quiet --as-of 2026-06-30T12:00:00Z --out "$out/audit" --format html,json

# A report with one team or one month would chart a single mark and prove little.
"$node" -e '
const r = require(process.argv[1]);
const teams = new Set(r.criteria.flatMap((c) => (c.strata.team || []).map((v) => v.value)));
const months = r.trend.filter((p) => p.rate !== null).length;
console.log(`report.json: ${r.criteria.length} criteria, ${teams.size} teams, ${months} months`);
if (teams.size < 3 || months < 3) { console.error("the generated audit has too few teams or months to test the charts"); process.exit(1); }
' "$out/audit/report.json"

"$node" "$browser/render_report.mjs" "$out/audit/report.html" "$out/report.png"
if [ "$(head -c 8 "$out/report.png" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
    echo "html_render_test: $out/report.png is not a PNG" >&2
    exit 1
fi
"$node" "$browser/render_report.mjs" --self-test "$out/audit/report.html"
