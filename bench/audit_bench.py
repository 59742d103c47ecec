#!/usr/bin/env python3
"""The audit against DESIGN.md's bars, end to end, on a generated input of 1 GB or more.

Runs, each as its own process so its peak RSS is its own:
  1. casecheck_parse_baseline: the file through nlohmann::json::parse alone, one thread;
  2. casecheck audit --threads 1, then --threads 2 (or --threads LIST), formats json,csv,fhir,html.
Prints MB/s, cases/s and peak RSS for each, and the ratios to the bars:
  >= 50 MB/s per core, >= 40% of the parse-only rate, peak RSS <= 200 MB and flat in input size.

Usage: bench/audit_bench.py BUILD_DIR [--input FILE] [--gigabytes 1.0] [--threads 1,2] [--keep]
The input is made with `casecheck generate` (seed 1, defect rate 0.15) unless --input names one.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def run(command, stdout=subprocess.DEVNULL):
    """Runs a command; returns (seconds, peak RSS in MB, stdout text)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE if stdout is None else stdout, stderr=subprocess.PIPE, text=True)
    out = process.stdout.read() if stdout is None else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    err = process.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{command[0]} failed: {err.strip()}")
    return seconds, usage.ru_maxrss / 1024.0, out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build_dir")
    parser.add_argument("--input")
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--keep", action="store_true", help="keep the generated input")
    args = parser.parse_args()

    binaries = os.path.join(args.build_dir, "bin")
    cli = os.path.join(binaries, "casecheck")
    baseline = os.path.join(binaries, "casecheck_parse_baseline")
    for path in (cli, baseline):
        if not os.path.exists(path):
            sys.exit(f"missing {path}: cmake --build {args.build_dir} --target casecheck_cli casecheck_parse_baseline")

    work = tempfile.mkdtemp(prefix="casecheck-audit-bench-")
    try:
        source = args.input
        if source is None:
            source = os.path.join(work, "cases.ndjson")
            # About 10 KB per client; generate a little over the size asked for.
            sample = os.path.join(work, "sample.ndjson")
            subprocess.run([cli, "generate", "--clients", "1000", "--seed", "1", "--out", sample], check=True)
            per_client = os.path.getsize(sample) / 1000
            clients = int(args.gigabytes * 1e9 / per_client * 1.02) + 1
            print(f"generating {clients} clients (~{per_client / 1000:.1f} KB each) ...", flush=True)
            seconds, _, _ = run([cli, "generate", "--clients", str(clients), "--seed", "1", "--defect-rate", "0.15", "--out", source])
            print(f"  generated in {seconds:.1f} s", flush=True)
        size = os.path.getsize(source)
        print(f"input: {size / 1e9:.2f} GB ({source})", flush=True)

        seconds, rss, out = run([baseline, source], stdout=None)
        parse = json.loads(out)
        rows = [("nlohmann::json::parse only, 1 thread", seconds, parse["lines"], rss, 1)]
        print(f"  parse-only: {seconds:.1f} s", flush=True)

        cases = parse["lines"]
        for threads in [int(t) for t in args.threads.split(",")]:
            out_dir = os.path.join(work, f"audit{threads}")
            seconds, rss, _ = run([cli, "audit", source, "--as-of", "2026-06-30T12:00:00Z", "--threads", str(threads), "--out", out_dir,
                                   "--format", "json,csv,fhir,html", "--quiet"])
            report = json.load(open(os.path.join(out_dir, "report.json")))
            cases = report["input"]["cases"]
            rows.append((f"casecheck audit, {threads} thread{'s' if threads > 1 else ''}", seconds, cases, rss, threads))
            print(f"  audit --threads {threads}: {seconds:.1f} s", flush=True)

        parse_rate = size / 1e6 / rows[0][1]
        print()
        print(f"| run | seconds | MB/s | MB/s per thread | cases/s | peak RSS (MB) | vs parse-only |")
        print(f"|---|---|---|---|---|---|---|")
        for name, seconds, count, rss, threads in rows:
            rate = size / 1e6 / seconds
            print(f"| {name} | {seconds:.1f} | {rate:.1f} | {rate / threads:.1f} | {count / seconds:,.0f} | {rss:.0f} | {rate / parse_rate:.2f} |")
        print()
        one = next(r for r in rows if r[4] == 1 and r[0].startswith("casecheck"))
        rate_one = size / 1e6 / one[1]
        print(f"bar >= 50 MB/s per core: {rate_one:.1f} MB/s at 1 thread = {rate_one / 50:.2f} of the bar")
        print(f"bar >= 40% of parse-only: {rate_one / parse_rate:.1%} = {rate_one / parse_rate / 0.4:.2f} of the bar")
        print(f"bar peak RSS <= 200 MB: {max(r[3] for r in rows[1:]):.0f} MB")
    finally:
        if args.keep and args.input is None:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
