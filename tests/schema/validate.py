#!/usr/bin/python3
"""Validate JSON documents against casecheck's schemas (sdk/schema).

Usage:
  validate.py [--expect-invalid] SCHEMA_DIR SCHEMA_NAME FILE [FILE...]
  validate.py --self-test [SCHEMA_DIR]     (default: the repository's sdk/schema)

FILE "-" reads standard input. Prints "ok FILE" or "INVALID FILE: <path>: <message>"
per file; exits 1 if any file does not meet the expectation (valid, or with
--expect-invalid, invalid). The schemas' $id URLs resolve to the files in
SCHEMA_DIR, so nothing is fetched from the network.
"""
import datetime
import json
import pathlib
import sys

import jsonschema
from jsonschema import Draft202012Validator


def load_schemas(schema_dir):
    """Returns {file name: schema}, after checking each schema is valid."""
    schemas = {}
    for path in sorted(pathlib.Path(schema_dir).glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        schemas[path.name] = schema
    return schemas


def make_validator(schemas, name):
    store = {s["$id"]: s for s in schemas.values()}
    resolver = jsonschema.RefResolver.from_schema(schemas[name], store=store)
    base = getattr(Draft202012Validator, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    checker = jsonschema.FormatChecker(base.checkers)
    if "date-time" not in checker.checkers:  # its optional dependency is missing: approximate it
        checker.checks("date-time", raises=ValueError)(
            lambda s: not isinstance(s, str) or bool(datetime.datetime.fromisoformat(s)))
    return Draft202012Validator(schemas[name], resolver=resolver, format_checker=checker)


def first_error(validator, instance):
    """Returns None if valid, else "<json path>: <message>" of the best error."""
    errors = list(validator.iter_errors(instance))
    if not errors:
        return None
    best = jsonschema.exceptions.best_match(errors)
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{best.json_path}: {best.message}{more}"


def validate_files(schema_dir, name, files, expect_valid):
    validator = make_validator(load_schemas(schema_dir), name)
    failed = 0
    for file in files:
        text = sys.stdin.read() if file == "-" else pathlib.Path(file).read_text(encoding="utf-8")
        error = first_error(validator, json.loads(text))
        print(f"ok {file}" if error is None else f"INVALID {file}: {error}")
        failed += (error is None) != expect_valid
    return 1 if failed else 0


PROMPT = {
    "id": "cc-0123456789abcdef", "criterion": "RK-01", "severity": "warning",
    "record": "n1", "kind": "note", "summary": "Recorded 30 hours after the contact.",
    "detail": "Mark it as a late entry and give the reason.", "evidence": {"path": "/recorded"},
    "citations": [{"framework": "IRCM 2022", "clause": "Prac 9a"}],
}
RESPONSE = {"flavour": "native", "rule_pack": "core", "records_checked": 1, "prompts": [PROMPT],
            "summary": {"critical": 0, "warning": 1, "info": 0}}
NOTE = {"id": "n1", "kind": "note", "recorded": "2026-03-05T16:30:00+00:00"}

# (schema, instance, expected valid?, what it shows)
CASES = [
    ("record.schema.json", {"record": NOTE}, True, "single record"),
    ("record.schema.json", {"records": [NOTE, NOTE]}, True, "batch"),
    ("record.schema.json", {"context": [NOTE]}, False, "neither record nor records"),
    ("record.schema.json", {"record": NOTE, "records": [NOTE]}, False, "both record and records"),
    ("record.schema.json", {"record": {"id": "n1"}}, False, "record without kind"),
    ("record.schema.json", {"record": {"id": "", "kind": "note"}}, False, "empty id"),
    ("record.schema.json", {"record": {"id": "n1", "kind": "letter"}}, False, "unknown kind"),
    ("record.schema.json", {"record": dict(NOTE, x_vendor=1)}, True, "unknown field kept"),
    ("record.schema.json", {"record": dict(NOTE, recorded="2026-03-05")}, True, "full date"),
    ("record.schema.json", {"record": dict(NOTE, recorded="2026-03-05T16:30:00")}, False, "date-time without offset"),
    ("record.schema.json", {"record": dict(NOTE, recorded="2026-02-30")}, False, "impossible date"),
    ("record.schema.json", {"record": dict(NOTE, recorded="2026-02-30T10:00:00Z")}, False, "impossible date-time"),
    ("record.schema.json", {"record": dict(NOTE, signed="yes")}, False, "note field of wrong type"),
    ("record.schema.json", {"record": dict(NOTE, occurred={"start": "2026-03-05"})}, False, "occurrence without end"),
    ("record.schema.json", {"record": {"id": "c1", "kind": "care_plan", "review": {"frequency": "P4W"}}}, True, "duration"),
    ("record.schema.json", {"record": {"id": "c1", "kind": "care_plan", "review": {"frequency": "P1M"}}}, False, "month duration"),
    ("record.schema.json", {"record": {"id": "t1", "kind": "transition", "type": "moved"}}, False, "unknown transition type"),
    ("record.schema.json", {"record": NOTE, "as_of": "2026-03-05T16:30:00Z"}, True, "as_of"),
    ("prompt.schema.json", RESPONSE, True, "response"),
    ("prompt.schema.json", dict(RESPONSE, extra=1), False, "unknown response field"),
    ("prompt.schema.json", dict(RESPONSE, prompts=[dict(PROMPT, summary="x" * 141)]), False, "141-char summary"),
    ("prompt.schema.json", dict(RESPONSE, prompts=[dict(PROMPT, citations=[])]), False, "no citation"),
    ("prompt.schema.json", dict(RESPONSE, prompts=[dict(PROMPT, id="cc-123")]), False, "bad prompt id"),
    ("prompt.schema.json", dict(RESPONSE, prompts=[dict(PROMPT, suggestion={
        "kind": "set-field", "label": "Mark as late entry",
        "patch": [{"op": "add", "path": "/late_entry", "value": {"flag": True, "reason": ""}}]})]), True, "suggestion"),
    ("prompt.schema.json", dict(RESPONSE, prompts=[dict(PROMPT, suggestion={
        "kind": "set-field", "label": "Fix"})]), False, "set-field without patch"),
    ("config.schema.json", {}, True, "empty config"),
    ("config.schema.json", {"limits": {"max_depth": 32}, "parameters": {"RK-01": {"late_warning_after": "PT12H"}}}, True, "config"),
    ("config.schema.json", {"limit": {}}, False, "unknown config key"),
    ("config.schema.json", {"parameters": {"RK-01": {"late_after": "one hour"}}}, False, "parameter not a duration"),
    ("config.schema.json", {"parameters": {"rk-1": {}}}, False, "not a criterion id"),
    ("config.schema.json", {"rule_pack": "ircm-2022"}, True, "built-in rule pack"),
    ("config.schema.json", {"rule_pack": {"file": "/etc/casecheck/pack.xml"}}, True, "rule pack file"),
    ("config.schema.json", {"rule_pack": {"url": "https://example.org/p.xml"}}, False, "rule pack by url"),
    ("config.schema.json", {"limits": {"max_depth": 1}}, False, "max_depth below 2"),
    ("config.schema.json", {"parameters": {"RK-01": {"late_warning_after": "PT"}}}, False, "empty duration"),
    ("config.schema.json", {"as_of": "2026-03-05"}, False, "as_of without time"),
]

# CDS Hooks 2.0 responses (cds-hooks.schema.json): fixture files under cds-hooks/valid (must
# pass) and cds-hooks/invalid (must fail, each for exactly one reason, so that a fixture cannot
# pass the test by breaking some rule other than the one it is named after).
CDS_HOOKS_SCHEMA = "cds-hooks.schema.json"
CDS_HOOKS_FIXTURES = pathlib.Path(__file__).resolve().parent / "cds-hooks"


def cds_hooks_cases():
    """Yields (label, instance, expected valid?) for each fixture file."""
    for folder, expect_valid in (("valid", True), ("invalid", False)):
        for path in sorted((CDS_HOOKS_FIXTURES / folder).glob("*.json")):
            yield f"{folder}/{path.name}", json.loads(path.read_text(encoding="utf-8")), expect_valid


def used_formats(schema):
    """Returns every "format" keyword's value anywhere in a schema."""
    if isinstance(schema, dict):
        found = {schema["format"]} if isinstance(schema.get("format"), str) else set()
        return found.union(*(used_formats(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(used_formats(v) for v in schema))
    return set()


def self_test(schema_dir):
    schemas = load_schemas(schema_dir)  # raises if a schema is itself invalid
    print(f"ok schemas: {', '.join(schemas)}")
    validators = {name: make_validator(schemas, name) for name in schemas}
    failed = 0
    # jsonschema passes a format it has no checker for, so a missing optional package would hide errors.
    for name, schema in schemas.items():
        unchecked = sorted(used_formats(schema) - set(validators[name].format_checker.checkers))
        if unchecked:
            failed += 1
            print(f"FAIL {name}: this jsonschema cannot check format {', '.join(unchecked)}"
                  " (its optional checkers: .ci/setup installs python3-rfc3987 and python3-json-pointer)")
    for name, instance, expect_valid, label in CASES:
        error = first_error(validators[name], instance)
        good = (error is None) == expect_valid
        failed += not good
        print(f"{'ok' if good else 'FAIL'} {name}: {label}" + ("" if good else f" ({error or 'valid'})"))
    if CDS_HOOKS_SCHEMA in validators:
        fixtures = list(cds_hooks_cases())
        if not fixtures:
            failed += 1
            print(f"FAIL {CDS_HOOKS_SCHEMA}: no fixtures in {CDS_HOOKS_FIXTURES}")
        for label, instance, expect_valid in fixtures:
            errors = list(validators[CDS_HOOKS_SCHEMA].iter_errors(instance))
            good = not errors if expect_valid else len(errors) == 1
            failed += not good
            note = "" if good else f" ({first_error(validators[CDS_HOOKS_SCHEMA], instance) or 'valid'})"
            print(f"{'ok' if good else 'FAIL'} {CDS_HOOKS_SCHEMA}: {label}{note}")
    return 1 if failed else 0


def main(argv):
    if "--self-test" in argv:
        rest = [a for a in argv if a != "--self-test"]
        default_dir = pathlib.Path(__file__).resolve().parents[2] / "sdk" / "schema"
        return self_test(rest[0] if rest else default_dir)
    expect_valid = "--expect-invalid" not in argv
    args = [a for a in argv if a != "--expect-invalid"]
    if len(args) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return validate_files(args[0], args[1], args[2:], expect_valid)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
