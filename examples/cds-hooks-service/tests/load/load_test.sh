#!/usr/bin/env bash
# Load test of casecheck-cds-service with wrk (Debian: apt-get install -y wrk; optional, not in CI):
# 64 connections POST patient-view with a realistic prefetch for DURATION seconds; reports req/s,
# p50/p99, errors, and the server's resident memory before and after (a leak shows as growth).
#
#   load_test.sh SERVER PLUGIN [DURATION=60] [CONNECTIONS=64]
#
# Authentication is off for the run: every token is single-use (jti), and wrk cannot sign.
set -euo pipefail

server=$1 plugin=$2 duration=${3:-60} connections=${4:-64}
here=$(cd "$(dirname "$0")" && pwd)
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 2; }
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

cat >"$work/service.json" <<JSON
{"listen": {"address": "127.0.0.1", "port": 0}, "plugin": "$plugin", "rule_pack": "core",
 "engine": {"as_of": "2026-03-06T09:00:00Z"}, "feedback_log": "$work/feedback.jsonl",
 "access_log": false, "auth": {"enabled": false}}
JSON
"$server" --config "$work/service.json" >"$work/out.log" 2>"$work/err.log" &
pid=$!
for _ in $(seq 1 100); do
    base=$(sed -n 's/^casecheck-cds-service listening on \(http[^ ]*\) .*/\1/p' "$work/out.log")
    [ -n "$base" ] && break
    sleep 0.1
done
url=$base/cds-services/casecheck-patient-view
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }

export CDS_REQUEST=$here/../fixtures/patient-view.json
echo "request body: $(wc -c <"$CDS_REQUEST") bytes; cards per answer: $(curl -s -H 'Content-Type: application/json' --data-binary "@$CDS_REQUEST" "$url" | grep -o '"uuid":"cc-[^"]*:' | wc -l)"
wrk -t2 -c"$connections" -d10s -s "$here/patient_view.lua" "$url" >/dev/null   # warm-up: caches, allocator arenas
echo "RSS after warm-up: $(rss) kB"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$here/patient_view.lua" "$url"
echo "RSS after ${duration}s: $(rss) kB"
wrk -t2 -c"$connections" -d"${duration}s" -s "$here/patient_view.lua" "$url" | tail -3
echo "RSS after a second ${duration}s: $(rss) kB"
kill -TERM "$pid"; wait "$pid" && echo "server drained and exited 0"
