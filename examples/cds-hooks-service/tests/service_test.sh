#!/usr/bin/env bash
# End-to-end test of casecheck-cds-service: starts it on a loopback port and drives it with curl,
# as an EHR would. Every card of every 200 hook response is validated against the CDS Hooks
# card JSON Schema (sdk/schema/cds-hooks.schema.json) with Debian's python3-jsonschema.
#
#   service_test.sh SERVER PLUGIN TOKEN_TOOL PYTHON REPO_ROOT
set -uo pipefail

server=$1 plugin=$2 token_tool=$3 python=$4 repo=$5
fixtures=$repo/examples/cds-hooks-service/tests/fixtures
validate="$python $repo/tests/schema/validate.py $repo/sdk/schema cds-hooks.schema.json"
work=$(mktemp -d)
server_pid=""
passed=0 failed=0

cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1${2:+: $2}"; failed=$((failed + 1)); }
expect() {  # expect NAME ACTUAL WANTED
    if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', wanted '$3'"; fi
}

# ---- keys and configuration ------------------------------------------------------------------
issuer=https://ehr.example.org
"$token_tool" keygen --alg ES384 --kid ehr-key-1 --private "$work/ehr.pem" --jwks "$work/ehr.jwks.json" >/dev/null 2>&1 || exit 1
# Same kid, different key: what a forger would sign with.
"$token_tool" keygen --alg ES384 --kid ehr-key-1 --private "$work/rogue.pem" --jwks "$work/rogue.jwks.json" >/dev/null 2>&1 || exit 1
cat >"$work/service.json" <<JSON
{
  "listen": {"address": "127.0.0.1", "port": 0},
  "threads": 4,
  "plugin": "$plugin",
  "rule_pack": "core",
  "engine": {"as_of": "2026-03-06T09:00:00Z"},
  "feedback_log": "$work/feedback.jsonl",
  "limits": {"max_body_bytes": 262144, "read_timeout_seconds": 5, "shutdown_grace_seconds": 10},
  "auth": {"enabled": true, "issuers": [{"iss": "$issuer", "jwks_file": "$work/ehr.jwks.json"}]}
}
JSON

start_server() {
    "$server" --config "$work/service.json" >"$work/out.log" 2>>"$work/err.log" &
    server_pid=$!
    for _ in $(seq 1 100); do
        base=$(sed -n 's/^casecheck-cds-service listening on \(http[^ ]*\) .*/\1/p' "$work/out.log")
        [ -n "$base" ] && return 0
        sleep 0.1
    done
    echo "the server did not start:"; cat "$work/err.log"; exit 1
}

stop_server() {  # SIGTERM, then the exit status
    kill -TERM "$server_pid"
    wait "$server_pid"
    local status=$?
    server_pid=""
    return $status
}

token() {  # token SERVICE_PATH [extra sign options]
    local path=$1; shift
    "$token_tool" sign --private "$work/ehr.pem" --kid ehr-key-1 --alg ES384 --iss "$issuer" --aud "$base/cds-services/$path" "$@"
}

# call METHOD PATH BODY_FILE TOKEN -> prints the status; body in $work/body
call() {
    local method=$1 path=$2 body=$3 bearer=$4
    local args=(-s -o "$work/body" -w '%{http_code}' -X "$method" --max-time 20)
    [ -n "$bearer" ] && args+=(-H "Authorization: Bearer $bearer")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "@$body")
    curl "${args[@]}" "$base$path"
}

json_get() {  # json_get PYTHON_EXPRESSION_ON_d [FILE]
    "$python" -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "${2:-$work/body}"
}

start_server

# ---- discovery --------------------------------------------------------------------------------
expect "discovery answers 200" "$(call GET /cds-services '' '')" 200
expect "discovery lists the four hooks" \
    "$(json_get '",".join(s["hook"] + "=" + s["id"] for s in d["services"])')" \
    "patient-view=casecheck-patient-view,encounter-discharge=casecheck-encounter-discharge,order-sign=casecheck-order-sign,casecheck-note-sign=casecheck-note-sign"
expect "every service declares prefetch templates" "$(json_get 'all(len(s["prefetch"]) >= 4 and s["description"] for s in d["services"])')" True

# ---- each hook with prefetch --------------------------------------------------------------------
declare -A wanted=(
    [patient-view]="AS-04 AS-05 CO-01 CO-04 MO-01 PL-01"
    [encounter-discharge]="TR-01 TR-02 TR-03"
    [order-sign]="CO-03 TR-01 TR-06"
    [note-sign]="RK-01 RK-02"
)
declare -A allowed=(
    [patient-view]="CO-01 CO-04 CO-06 AS-04 AS-05 MO-01 MO-02 PL-01 PL-02 PL-03 PL-04 PL-05 PL-06 PL-07"
    [encounter-discharge]="TR-01 TR-02 TR-03 TR-04 TR-05"
    [order-sign]="CO-03 CO-07 TR-01 TR-06 RK-02"
    [note-sign]="RK-01 RK-02 RK-03 RK-04 RK-05 RK-06 RK-07 CO-01 CO-02 CO-03 CO-05 CO-06 CO-07 AS-05 TR-04"
)
for hook in patient-view encounter-discharge order-sign note-sign; do
    status=$(call POST "/cds-services/casecheck-$hook" "$fixtures/$hook.json" "$(token "casecheck-$hook")")
    expect "$hook answers 200" "$status" 200
    cp "$work/body" "$work/$hook.cards.json"
    if $validate "$work/$hook.cards.json" >/dev/null; then ok "$hook cards pass the CDS Hooks card schema"; else
        fail "$hook cards pass the CDS Hooks card schema" "$($validate "$work/$hook.cards.json")"; fi
    expect "$hook shows the criteria it should (and only those)" "$(json_get "
(lambda codes: (sorted(set('${wanted[$hook]}'.split()) - codes), sorted(codes - set('${allowed[$hook]}'.split()))))(
 {c['source']['topic']['code'] for c in d['cards']})")" "([], [])"
    expect "$hook cards: summary <140, source label+topic, overrideReasons with display, uuid <prompt>:<criterion>" "$(json_get "all(
 len(c['summary']) < 140 and c['source']['label'] and c['source']['topic']['code'] and
 all(r.get('display') for r in c['overrideReasons']) and c['uuid'].endswith(':' + c['source']['topic']['code'])
 and (('suggestions' not in c) or c['selectionBehavior'] in ('at-most-one', 'any'))
 for c in d['cards'])")" True
done
expect "note-sign does not ask to sign the note being signed" "$(json_get "[c['source']['topic']['code'] for c in d['cards'] if c['source']['topic']['code'] == 'RK-03']" "$work/note-sign.cards.json")" "[]"
expect "order-sign offers a draft Consent for the disclosure" "$(json_get "[a['resource']['resourceType'] for c in d['cards'] for s in c.get('suggestions', []) for a in s.get('actions', []) if c['source']['topic']['code'] == 'CO-03']" "$work/order-sign.cards.json")" "['Consent']"
expect "card uuids are stable across calls" "$(call POST /cds-services/casecheck-patient-view "$fixtures/patient-view.json" "$(token casecheck-patient-view)")$(json_get "[c['uuid'] for c in d['cards']] == [c['uuid'] for c in json.load(open('$work/patient-view.cards.json'))['cards']]")" 200True

# ---- missing prefetch: 412 --------------------------------------------------------------------
"$python" -c "
import json,sys; d=json.load(open(sys.argv[1])); del d['prefetch']; json.dump(d, open(sys.argv[2],'w'))
d=json.load(open(sys.argv[1])); d['prefetch']['consents']={'resourceType':'OperationOutcome','issue':[{'severity':'error','code':'timeout'}]}; json.dump(d, open(sys.argv[3],'w'))
d=json.load(open(sys.argv[1])); [d['prefetch'].pop(k) for k in ('tasks','communications','provenance')]; json.dump(d, open(sys.argv[4],'w'))
" "$fixtures/patient-view.json" "$work/no-prefetch.json" "$work/failed-prefetch.json" "$work/optional-missing.json"
expect "no prefetch and no FHIR access: 412" "$(call POST /cds-services/casecheck-patient-view "$work/no-prefetch.json" "$(token casecheck-patient-view)")" 412
expect "412 body is an OperationOutcome naming the missing keys" "$(json_get "d['resourceType'] == 'OperationOutcome' and 'consents' in d['issue'][0]['diagnostics']")" True
expect "a prefetch key holding an OperationOutcome: 412" "$(call POST /cds-services/casecheck-patient-view "$work/failed-prefetch.json" "$(token casecheck-patient-view)")" 412
expect "only optional prefetch keys missing: 200" "$(call POST /cds-services/casecheck-patient-view "$work/optional-missing.json" "$(token casecheck-patient-view)")" 200

# ---- bad requests: errors are OperationOutcomes and never echo client data --------------------
printf '{"hook": "patient-view", "context": {"patientId": "SECRET-CLIENT-NAME"' >"$work/broken.json"
expect "malformed JSON: 400" "$(call POST /cds-services/casecheck-patient-view "$work/broken.json" "$(token casecheck-patient-view)")" 400
expect "the 400 does not echo the body" "$(grep -c SECRET-CLIENT-NAME "$work/body")" 0
"$python" -c "import json,sys; d=json.load(open(sys.argv[1])); d['hook']='order-select'; json.dump(d, open(sys.argv[2],'w'))" \
    "$fixtures/patient-view.json" "$work/wrong-hook.json"
expect "a hook the service does not serve: 400" "$(call POST /cds-services/casecheck-patient-view "$work/wrong-hook.json" "$(token casecheck-patient-view)")" 400
expect "an unknown service: 404" "$(call POST /cds-services/no-such-service "$fixtures/patient-view.json" "")" 404
head -c 300000 /dev/zero | tr '\0' ' ' >"$work/huge.json"
expect "a body over max_body_bytes: 413" "$(call POST /cds-services/casecheck-patient-view "$work/huge.json" "$(token casecheck-patient-view)")" 413
"$python" -c "print('{\"a\":' * 5000 + '1' + '}' * 5000)" >"$work/deep.json"
expect "JSON nested 5000 deep: 400, no crash" "$(call POST /cds-services/casecheck-patient-view "$work/deep.json" "$(token casecheck-patient-view)")" 400

# ---- feedback ----------------------------------------------------------------------------------
co03=$(json_get "[c['uuid'] for c in d['cards'] if c['source']['topic']['code'] == 'CO-03'][0]" "$work/order-sign.cards.json")
co03_suggestion=$(json_get "[c['suggestions'][0]['uuid'] for c in d['cards'] if c['source']['topic']['code'] == 'CO-03'][0]" "$work/order-sign.cards.json")
tr06=$(json_get "[c['uuid'] for c in d['cards'] if c['source']['topic']['code'] == 'TR-06'][0]" "$work/order-sign.cards.json")
reason_system=$(json_get "d['cards'][0]['overrideReasons'][0]['system']" "$work/order-sign.cards.json")
cat >"$work/feedback.json" <<JSON
{"feedback": [
  {"card": "$co03", "outcome": "accepted", "acceptedSuggestions": [{"id": "$co03_suggestion"}], "outcomeTimestamp": "2026-03-06T09:01:00Z"},
  {"card": "$tr06", "outcome": "overridden", "outcomeTimestamp": "2026-03-06T09:01:05Z",
   "overrideReason": {"reason": {"system": "$reason_system", "code": "documented-elsewhere", "display": "Already documented elsewhere in the record"},
                      "userComment": "SECRET-COMMENT Bo told me on the phone"}}
]}
JSON
expect "feedback is accepted: 200" "$(call POST /cds-services/casecheck-order-sign/feedback "$work/feedback.json" "$(token casecheck-order-sign/feedback)")" 200
expect "the log has one line per outcome" "$(wc -l <"$work/feedback.jsonl" | tr -d ' ')" 2
expect "the log never holds the free-text comment" "$(grep -c SECRET-COMMENT "$work/feedback.jsonl")" 0
expect "a log line carries service, card, criterion, outcome and reason code" "$("$python" -c "
import json,sys; l=[json.loads(x) for x in open(sys.argv[1])][1]
print(l['service'], l['criterion'], l['outcome'], l['override_reason']['code'], l['card'] == sys.argv[2], l['comment_given'])" "$work/feedback.jsonl" "$tr06")" \
    "casecheck-order-sign TR-06 overridden documented-elsewhere True True"
echo '{"feedback": [{"card": "not-ours", "outcome": "overridden", "outcomeTimestamp": "2026-03-06T09:01:05Z"}]}' >"$work/bad-feedback.json"
expect "feedback about a card this service never issued: 400" "$(call POST /cds-services/casecheck-order-sign/feedback "$work/bad-feedback.json" "$(token casecheck-order-sign/feedback)")" 400

# ---- authentication -------------------------------------------------------------------------------
hook=/cds-services/casecheck-patient-view
body=$fixtures/patient-view.json
expect "no token: 401" "$(call POST $hook "$body" '')" 401
expect "401 says Bearer" "$(curl -s -o /dev/null -D - -X POST -H 'Content-Type: application/json' --data-binary "@$body" "$base$hook" | grep -ci '^www-authenticate: Bearer')" 1
expect "expired token: 401" "$(call POST $hook "$body" "$(token casecheck-patient-view --iat $(( $(date +%s) - 1000 )) --lifetime 300)")" 401
rogue=$("$token_tool" sign --private "$work/rogue.pem" --kid ehr-key-1 --alg ES384 --iss "$issuer" --aud "$base$hook")
expect "token signed with the wrong key: 401" "$(call POST $hook "$body" "$rogue")" 401
expect "token for another audience: 401" "$(call POST $hook "$body" "$("$token_tool" sign --private "$work/ehr.pem" --kid ehr-key-1 --alg ES384 --iss "$issuer" --aud https://elsewhere.example.org/cds-services)")" 401
expect "token from an untrusted issuer: 401" "$(call POST $hook "$body" "$("$token_tool" sign --private "$work/ehr.pem" --kid ehr-key-1 --alg ES384 --iss https://other.example.org --aud "$base$hook")")" 401
once=$(token casecheck-patient-view)
expect "fresh token: 200" "$(call POST $hook "$body" "$once")" 200
expect "the same token replayed: 401" "$(call POST $hook "$body" "$once")" 401
expect "feedback without a token: 401" "$(call POST /cds-services/casecheck-order-sign/feedback "$work/feedback.json" '')" 401

# ---- restart: the feedback log survives and is read back -------------------------------------------
stop_server
expect "SIGTERM: the server drains and exits 0" "$?" 0
expect "it said it drained" "$(grep -c 'stopped after draining' "$work/err.log")" 1
start_server
cat >"$work/feedback2.json" <<JSON
{"feedback": [{"card": "$tr06", "outcome": "overridden", "outcomeTimestamp": "2026-03-06T10:00:00Z",
  "overrideReason": {"reason": {"system": "$reason_system", "code": "not-applicable", "display": "Does not apply to this record"}}}]}
JSON
expect "feedback after the restart: 200" "$(call POST /cds-services/casecheck-order-sign/feedback "$work/feedback2.json" "$(token casecheck-order-sign/feedback)")" 200
"$server" feedback-report "$work/feedback.jsonl" >"$work/report.json"
expect "the report reads every line, before and after the restart" "$(json_get "d['lines'], d['unreadable_lines'], d['overall']['accepted'], d['overall']['overridden']" "$work/report.json")" "3 0 1 2"
expect "override rate per criterion and reasons" "$(json_get "d['by_criterion']['TR-06']['override_rate'], d['by_criterion']['TR-06']['override_reasons'], d['by_criterion']['CO-03']['override_rate']" "$work/report.json")" \
    "1.0 {'documented-elsewhere': 1, 'not-applicable': 1} 0.0"
expect "dismissed lines for the audit" "$("$server" feedback-report "$work/feedback.jsonl" --dismissed | wc -l | tr -d ' ')" 2

# ---- the service log never holds client data -------------------------------------------------------
stop_server
expect "second SIGTERM: exit 0" "$?" 0
expect "the service log names no client, no comment, no token" \
    "$(grep -c -E 'pat-bo-0001|Bo |Northgate|SECRET|eyJ' "$work/err.log")" 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
