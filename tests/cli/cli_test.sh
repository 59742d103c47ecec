#!/usr/bin/env bash
# Drives the casecheck command-line host the way a user would.
# Usage: cli_test.sh CASECHECK_BINARY EXAMPLES_DATA_DIR
set -u
cli=$1
data=$2
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# expect_exit CODE COMMAND...: runs the command, keeping its output in $out.
expect_exit() {
    local want=$1; shift
    out=$("$@" 2>&1); local got=$?
    [ "$got" -eq "$want" ] || fail "exit $got, wanted $want: $*"$'\n'"$out"
}
expect_output() { grep -qE -- "$1" <<<"$out" || fail "output lacks /$1/:"$'\n'"$out"; }

expect_exit 0 "$cli" --help
expect_output "casecheck check FILE"
expect_output "casecheck version"
expect_output "Exit status"

expect_exit 0 "$cli" help check
expect_output "--as-of TIME"
expect_output "--fail-on SEVERITY"
expect_exit 0 "$cli" check --help
expect_output "--config FILE"
expect_exit 0 "$cli" version --help
expect_output "casecheck version"

expect_exit 2 "$cli"
expect_exit 2 "$cli" frobnicate
expect_output "unknown command"
expect_exit 2 "$cli" check --bogus "$data/case-ada.json"
expect_output "unknown option --bogus"
expect_exit 2 "$cli" check
expect_exit 2 "$cli" check /nonexistent/file.json
expect_exit 2 "$cli" check --fail-on severe "$data/case-ada.json"

# Piped output is the response document; version too.
expect_exit 0 "$cli" version
expect_output '"name":"casecheck"'
expect_output '"criteria":\["RK-01",(.*,)?"RK-03",(.*,)?"RK-07",(.*,)?"CO-01",(.*,)?"CO-03"'
expect_exit 0 "$cli" check "$data/case-ada.json"
expect_output '"criterion":"RK-01"'
expect_output '"severity":"critical"'

# Options may come before or after the operand.
before=$("$cli" --json --as-of 2026-03-06T09:00:00Z check "$data/case-ada.json")
after=$("$cli" check "$data/case-ada.json" --as-of 2026-03-06T09:00:00Z --json)
[ "$before" = "$after" ] || fail "options before and after the operand disagree"
# --as-of sets the engine's clock; a request's own "as_of" takes precedence.
grep -q '"as_of":"2026-03-05T17:00:00Z"' <<<"$after" || fail "the request's as_of did not take precedence"
expect_exit 0 bash -c "echo '{\"record\": {\"id\": \"n\", \"kind\": \"note\"}}' | \"$cli\" check --as-of 2026-03-06T09:00:00+01:00 -"
expect_output '"as_of":"2026-03-06T09:00:00\+01:00"'
expect_exit 3 "$cli" check --as-of yesterday "$data/case-ada.json"
expect_output "E_CONFIG: configuration /as_of"

# Standard input.
expect_exit 0 bash -c "\"$cli\" check - < \"$data/batch.json\""
expect_output '"records_checked":3'
expect_output '"rejected":\[\{"index":3'

# --fail-on sets the exit status from the worst prompt.
expect_exit 1 "$cli" check --fail-on critical "$data/case-ada.json"
expect_exit 0 "$cli" check --fail-on warning "$data/late-entry-ok.json"

# A configuration file, validated by the plugin.
config=$(mktemp)
trap 'rm -f "$config"' EXIT
echo '{"parameters": {"RK-01": {"late_critical_after": "P30D"}}}' >"$config"
expect_exit 0 "$cli" check --config "$config" "$data/case-ada.json"
grep -q '"severity":"critical","record":"note-ada-' <<<"$out" && fail "late_critical_after from --config was ignored"
echo '{"limits": {"max_dept": 3}}' >"$config"
expect_exit 3 "$cli" check --config "$config" "$data/case-ada.json"
expect_output "E_CONFIG: configuration /limits/max_dept: unknown key"

# Rejected input: status name and location, exit 3.
expect_exit 3 bash -c "echo '{\"record\": {\"id\": \"x\"}}' | \"$cli\" check -"
expect_output "E_SCHEMA: request /record/kind: required field is missing"

# A plugin that cannot be loaded: exit 4, saying which file.
expect_exit 4 "$cli" --plugin /nonexistent/libcasecheck.so version
expect_output "/nonexistent/libcasecheck.so"
expect_exit 4 env CASECHECK_PLUGIN=/nonexistent/env.so "$cli" version
expect_output "/nonexistent/env.so"

# --table forces the table into a pipe; it cannot be combined with --json.
expect_exit 0 "$cli" check --table "$data/batch.json"
expect_output "^note-dee-0004 \(note\)"
expect_exit 2 "$cli" check --table --json "$data/batch.json"

# map: FHIR R4 JSON or XML on stdout, mapping issues on stderr; check reads its output back.
expect_exit 0 "$cli" map "$data/case-ada.json"
expect_output '^\{"resourceType":"Bundle","type":"collection"'
expect_exit 0 "$cli" map --xml "$data/case-ada.json"
expect_output '^<\?xml version="1.0" encoding="UTF-8"\?>'
expect_exit 0 "$cli" map "$data/case-ada.json" --bundle-type transaction
expect_output '"type":"transaction"'
expect_output '"ifNoneExist":"identifier=https%3A%2F%2Fcasecheck.example%2Ffhir%2Frecord-id\|note-ada-0007"'
expect_exit 2 "$cli" map --bundle-type batch "$data/case-ada.json"
expect_exit 0 bash -c "echo '{\"record\": {\"id\": \"n1\", \"kind\": \"note\", \"recorded\": \"2026-03-02\"}}' | \"$cli\" map - 2>&1 >/dev/null"
expect_output "casecheck map: record n1 /recorded: FHIR records this as an instant"
for form in "" "--xml"; do
    expect_exit 0 bash -c "\"$cli\" map $form \"$data/case-ada.json\" | \"$cli\" check -"
    expect_output '"records_checked":7'
    expect_output '"criterion":"RK-01","severity":"critical","record":"note-ada-0007"'
done

# Flavours and rule packs from the command line.
expect_exit 0 "$cli" check --flavour cds-hooks "$data/case-ada.json" --table
expect_output '^\{"cards":\[\{"uuid":"cc-'
expect_exit 0 "$cli" check --flavour fhir "$data/case-ada.json"
expect_output '"resourceType":"DetectedIssue"'
expect_exit 3 "$cli" check --flavour pdf "$data/case-ada.json"
expect_exit 0 "$cli" check --rule-pack ncmn-2012 "$data/case-ada.json"
expect_output '"rule_pack":"ncmn-2012"'
expect_output '"citations":\[\{"framework":"NCMN 2012","clause":"5.4"\}'
expect_exit 0 "$cli" check --rule-pack "$(dirname "$data")/../tests/rulepacks/org-override.xml" "$data/case-ada.json"
expect_output '"rule_pack":"northwind-community"'
expect_exit 3 "$cli" check --rule-pack nowhere "$data/case-ada.json"
expect_output "E_CONFIG: configuration /rule_pack"

# On a terminal: a table grouped by record, worst first (script(1) gives the
# program a tty; it needs a readable stdin, which CI may not give).
out=$(NO_COLOR=1 script -qec "\"$cli\" check \"$data/batch.json\"" /dev/null </dev/null 2>&1)
expect_output "^note-eli-0021 \(note\)"
expect_output "critical +RK-01 +Recorded [0-9]+ days after"
expect_output "rejected record 3: E_SCHEMA: request /records/3/kind"
expect_output "3 record\(s\) checked: [0-9]+ critical, [0-9]+ warning, [0-9]+ info"
grep -q $'\e\\[' <<<"$out" && fail "NO_COLOR was not honoured"
out=$(env -u NO_COLOR script -qec "\"$cli\" check \"$data/batch.json\"" /dev/null </dev/null 2>&1)
grep -q $'\e\\[1;31mcritical' <<<"$out" || fail "critical is not shown in red on a terminal"

# Evidence spans: under a prompt whose evidence is a span of the note's text, the table shows
# the line holding it, cut to 60 bytes either side (at UTF-8 boundaries, marked "…").
# Piped, the span is marked [[ ]] with carets under it; on a terminal it is highlighted.
# rationale-pack.xml holds RK-02 alone with a two-phrase lexicon, so these lines depend on
# neither the core pack nor the tuning of the built-in lexicon.
here=$(cd "$(dirname "$0")" && pwd)
spans="$here/evidence-spans.json"
rationale="$here/rationale-pack.xml"
# expect_lines LINE...: the output holds these lines, consecutively and exactly.
expect_lines() {
    awk -v want="$(printf '%s\n' "$@")" '
        BEGIN { n = split(want, w, "\n") - 1 }
        { line[NR] = $0 }
        END { for (i = 1; i + n - 1 <= NR; i++) { for (j = 1; j <= n && line[i + j - 1] == w[j]; j++); if (j > n) exit 0 } exit 1 }
    ' <<<"$out" || fail "output lacks the lines:"$'\n'"$(printf '%s\n' "$@")"$'\n'"in:"$'\n'"$out"
}
expect_exit 0 "$cli" check --table --rule-pack "$rationale" "$spans"
expect_lines '  warning   RK-02  "Referred" is recorded without its reason: add why' \
             '            /text: Seen at home. [[Referred]] to housing.' \
             '                                   ^^^^^^^^'
# A long line is cut 60 bytes either side of the span; both cuts fall inside a multi-byte
# character, which is left out whole.
expect_lines '            /text: … showed me the damp in the back bedroom and on the stairs. [[Referred]] to the tenancy sustainment team. Her neighbour Ann wrote: …' \
             '                                                                                 ^^^^^^^^'
grep -q 'café' <<<"$out" && fail "the excerpt of a long note was not cut to a window"
iconv -f UTF-8 -t UTF-8 <<<"$out" >/dev/null 2>&1 || fail "an excerpt was cut inside a UTF-8 character"
# Only the span's own line is shown, without its "\r\n".
expect_lines '            /text: [[Referred]] to the falls clinic.' \
             '                     ^^^^^^^^'
grep -qE 'Plan:|Next contact' <<<"$out" && fail "an excerpt showed lines beyond the span's"
grep -q $'\r' <<<"$out" && fail "an excerpt printed a carriage return"
# A span over a line break shows both lines, each with its carets.
expect_lines '            /text: Phoned Zoë at home. Today I [[made a' \
             '                                                 ^^^^^^' \
             '                   referral]] to the falls clinic. She was pleased.' \
             '                   ^^^^^^^^'
[ "$(grep -c '^ \+/text: ' <<<"$out")" -eq 4 ] || fail "wanted one excerpt per RK-02 prompt:"$'\n'"$out"
# The same under the core pack; prompts without a span (CO-01 points at the whole record) get no excerpt.
expect_exit 0 "$cli" check --table --rule-pack core "$spans"
expect_output '^ +/text: Seen at home\. \[\[Referred\]\] to housing\.$'
grep -A1 '^  critical  CO-01 ' <<<"$out" | grep -q '^ \+/text: ' && fail "a prompt without a span got an excerpt"
# The response document itself is untouched.
expect_exit 0 "$cli" check --rule-pack "$rationale" "$spans"
expect_output '"evidence":\{"path":"/text","span":\{"begin":14,"end":22\}\}'
grep -q '\[\[' <<<"$out" && fail "the JSON response was marked up"
# On a terminal: bold reverse video, no brackets or carets; with NO_COLOR, brackets and carets.
out=$(env -u NO_COLOR script -qec "\"$cli\" check --rule-pack \"$rationale\" \"$spans\"" /dev/null </dev/null 2>&1)
grep -qF $'/text: Seen at home. \e[1;7mReferred\e[0m to housing.' <<<"$out" || fail "the span is not highlighted on a terminal:"$'\n'"$out"
grep -qF $'Today I \e[1;7mmade a\e[0m' <<<"$out" || fail "a span over a line break is not closed at the line's end:"$'\n'"$out"
grep -qE '\[\[|\^\^' <<<"$out" && fail "brackets or carets on a colour terminal"
out=$(NO_COLOR=1 script -qec "\"$cli\" check --rule-pack \"$rationale\" \"$spans\"" /dev/null </dev/null 2>&1)
expect_output '/text: Seen at home\. \[\[Referred\]\] to housing\.'
grep -q $'\e\\[' <<<"$out" && fail "NO_COLOR was not honoured in an excerpt"

if [ "$failures" -ne 0 ]; then
    echo "$failures CLI check(s) failed"
    exit 1
fi
echo "all CLI checks passed"
