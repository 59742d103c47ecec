#!/usr/bin/env python3
"""Measures how consistently two annotators apply ANNOTATION.md, portion by portion.

For each portion, a second annotator labelled every item from the guide and the text alone,
without the first labels, the engine or its lexicon: corpus/second-pass/dev.jsonl for the
dev*.jsonl files, corpus/second-pass/heldback.jsonl for the heldback*.jsonl files. Scoring the
second labels against the first with the accuracy test's strict key (label + status modifiers +
recipient; REPORTED left out) tells how far the bar can be from the labels' own noise. Only
aggregate tables are printed, so the held-back portion stays unread.

usage: agreement.py tests/text/corpus
"""
import collections
import json
import pathlib
import sys

corpus = sys.argv[1]


def strict_key(statement):
    modifiers = " ".join(sorted(m for m in statement["modifiers"] if m != "REPORTED"))
    key = f"{statement['target']} [{modifiers}]"
    return key + f" -> {statement.get('recipient', 'other')}" if statement["target"] == "DISCLOSURE" else key


def label_key(statement):
    return statement["target"]


def read_labels(path):
    with open(path, encoding="utf-8") as lines:
        return {item["id"]: item["expect"] for item in map(json.loads, lines)}


def tally(first, second, key_of):
    counts = collections.defaultdict(lambda: [0, 0, 0])  # agreed, only second, only first
    for item, statements in first.items():
        ours = collections.Counter(map(key_of, statements))
        theirs = collections.Counter(map(key_of, second[item]))
        for key, n in (ours & theirs).items():
            counts[key.split(" ")[0]][0] += n
        for key, n in (theirs - ours).items():
            counts[key.split(" ")[0]][1] += n
        for key, n in (ours - theirs).items():
            counts[key.split(" ")[0]][2] += n
    return counts


def ratio(part, whole):
    return part / whole if whole else 1.0


def report(portion):
    first = {}
    for path in sorted(pathlib.Path(corpus).glob(f"{portion}*.jsonl")):
        first.update(read_labels(path))
    second = read_labels(f"{corpus}/second-pass/{portion}.jsonl")
    if set(first) != set(second):
        sys.exit(f"second-pass/{portion}.jsonl must label exactly the {portion} items")
    strict, labels = tally(first, second, strict_key), tally(first, second, label_key)
    print(f"second annotator against the first, {portion} portion, {len(first)} items (precision / recall)")
    print(f"{'type':18}{'strict key':>18}{'label only':>18}")
    for label in sorted(set(strict) | set(labels)):
        a, s, f = strict[label]
        la, ls, lf = labels[label]
        print(f"{label:18}{ratio(a, a + s):>10.3f} / {ratio(a, a + f):.3f}{ratio(la, la + ls):>10.3f} / {ratio(la, la + lf):.3f}")
    a, s, f = (sum(c[i] for c in strict.values()) for i in range(3))
    print(f"{'all':18}{ratio(a, a + s):>10.3f} / {ratio(a, a + f):.3f}")
    exact = sum(collections.Counter(map(strict_key, first[i])) == collections.Counter(map(strict_key, second[i])) for i in first)
    print(f"items labelled identically: {exact} of {len(first)}")


portions = [p for p in ("dev", "heldback") if pathlib.Path(f"{corpus}/second-pass/{p}.jsonl").exists()]
for index, portion in enumerate(portions):
    if index:
        print()
    report(portion)
