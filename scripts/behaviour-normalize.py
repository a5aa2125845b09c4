#!/usr/bin/env python3
"""behaviour-normalize.py SNAPSHOT OUT: a copy of a snapshot of scripts/behaviour-snapshot.sh with the
spelling of schedules made independent of the library version, so that two snapshots taken across a
change of that spelling compare on what the schedules decide:

- every schedule written as JSON (plain, or inside a CSV field with doubled quotes) is rewritten in the
  current form: the algorithm named first ("algorithm":"implicit-gemm"), the per-letter operand
  decisions (levelA, levelB, doubleBufferA, doubleBufferB, doubleBufferC) as the "operands" list;
- tuning records of format version 1 read as version 2 (the schedule is their only difference);
- the C# initializer of the schedule that emitted files carry in their leading comment is dropped (the
  one-line form beside it, which names every decision, stays);
- a NAME.sha256 listing is dropped where NAME.files/ holds the files themselves (their hashes change with
  the comment).

Nothing else is touched: simulated times, cycles, GFLOPS, schedules' decisions and the C code compare as
written. Used by scripts/behaviour-compare.sh --normalize.
"""
import json
import os
import re
import shutil
import sys

LETTERS = ("levelA", "levelB", "doubleBufferA", "doubleBufferB", "doubleBufferC")


def upgrade(schedule):
    """The current form of a schedule's JSON object (a dict), unchanged when it is current."""
    if "algorithm" in schedule or "mapping" not in schedule:
        return schedule
    result = {"algorithm": "implicit-gemm"}
    for key, value in schedule.items():
        if key in LETTERS:
            continue
        result[key] = value
        if key == "window":
            result["operands"] = operands(schedule)
    if "operands" not in result:
        result["operands"] = operands(schedule)
    return result


def operands(schedule):
    return [
        {"role": "a", "level": schedule.get("levelA"), "doubleBuffer": schedule.get("doubleBufferA", False)},
        {"role": "b", "level": schedule.get("levelB"), "doubleBuffer": schedule.get("doubleBufferB", False)},
        {"role": "output", "level": None, "doubleBuffer": schedule.get("doubleBufferC", False)},
    ]


def dumps(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def rewrite_json(text, doubled):
    """Every schedule object in text, plain or with CSV's doubled quotes, in its current form."""
    quote = '""' if doubled else '"'
    start_token = "{" + quote + "mapping" + quote + ":"
    out, position = [], 0
    decoder = json.JSONDecoder()
    while True:
        start = text.find(start_token, position)
        if start < 0:
            out.append(text[position:])
            return "".join(out)
        out.append(text[position:start])
        body = text[start:].replace('""', '"') if doubled else text[start:]
        try:
            value, length = decoder.raw_decode(body)
        except json.JSONDecodeError:
            out.append(start_token)
            position = start + len(start_token)
            continue
        written = dumps(upgrade(value))
        # With doubled quotes, each quote of the decoded text stood for two characters of the original.
        consumed = length + body[:length].count('"') if doubled else length
        out.append(written.replace('"', '""') if doubled else written)
        position = start + consumed


def rewrite_record(line):
    """A tuning record of format version 1 as version 2: its schedule is rewritten with the others."""
    return '{"formatVersion":2,' + line[len('{"formatVersion":1,'):] if line.startswith('{"formatVersion":1,') else line


INITIALIZER = re.compile(r"^ \*   new (Schedule|ImplicitGemmSchedule)\n(?: \*   .*\n)*? \*   \}\n", re.M)


def normalize(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    original = text
    if path.endswith(".jsonl"):
        text = "\n".join(rewrite_record(line) for line in text.split("\n"))
    text = rewrite_json(text, doubled=False)
    text = rewrite_json(text, doubled=True)
    text = INITIALIZER.sub("", text)
    if text != original:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def main():
    if len(sys.argv) != 3 or not os.path.isfile(os.path.join(sys.argv[1], "commands.tsv")):
        print("usage: behaviour-normalize.py SNAPSHOT OUT   (a folder written by scripts/behaviour-snapshot.sh)", file=sys.stderr)
        return 2
    source, target = sys.argv[1], sys.argv[2]
    if os.path.exists(target):
        print(f"behaviour-normalize: {target} exists; give a new folder", file=sys.stderr)
        return 2
    shutil.copytree(source, target)
    for root, _, files in os.walk(target):
        if os.path.relpath(root, target).startswith("meta"):
            continue
        for name in files:
            path = os.path.join(root, name)
            if name.endswith(".sha256") and os.path.isdir(path[: -len(".sha256")] + ".files"):
                os.remove(path)
                continue
            try:
                normalize(path)
            except UnicodeDecodeError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
