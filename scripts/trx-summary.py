#!/usr/bin/env python3
"""Prints the closing lines of scripts/test.sh from the TRX files dotnet test wrote and the JUnit XML files pytest
wrote under one folder: the skipped tests grouped by their one-line reason, then, last, the plain line
'N passed, N failed' (CI parses it; it cannot read dotnet test's own summary). Exit status 1 when anything failed or
nothing passed."""
import collections, glob, sys, xml.etree.ElementTree as ET

TRX = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = 0
skipped = collections.defaultdict(list)  # reason -> test names


def first_line(text, default):
    lines = [l.strip() for l in (text or "").strip().splitlines() if l.strip()]
    return lines[0] if lines else default


def read_trx(path):
    """Counted from each result (the adapter's Counters leave notExecuted at 0 for NUnit's Ignore)."""
    global passed, failed
    for result in ET.parse(path).getroot().iter(TRX + "UnitTestResult"):
        outcome = result.get("outcome")
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive"):
            message = result.find(f"{TRX}Output/{TRX}ErrorInfo/{TRX}Message")
            skipped[first_line(message.text if message is not None else "", f"({outcome}, no reason given)")].append(result.get("testName"))
        else:
            failed += 1


def read_junit(path):
    global passed, failed
    for case in ET.parse(path).getroot().iter("testcase"):
        name = f"{case.get('classname', '').rsplit('.', 1)[-1]}.{case.get('name', '')}".lstrip(".")
        skip = case.find("skipped")
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif skip is not None:
            reason = first_line(skip.get("message") or skip.text, "(skipped, no reason given)")
            skipped[("known bug (xfail): " if skip.get("type") == "pytest.xfail" else "") + reason].append(name)
        else:
            passed += 1


folder = sys.argv[1]
trx = glob.glob(f"{folder}/**/*.trx", recursive=True)
junit = glob.glob(f"{folder}/**/*.junit.xml", recursive=True)
for path in trx:
    read_trx(path)
for path in junit:
    read_junit(path)
if not trx and not junit:
    failed += 1
    print("no test results found", file=sys.stderr)
count = sum(len(names) for names in skipped.values())
if count:
    print(f"{count} skipped:")
    for reason, names in sorted(skipped.items(), key=lambda item: -len(item[1])):
        shown = ", ".join(sorted(names)[:4]) + (f", ... ({len(names) - 4} more)" if len(names) > 4 else "")
        print(f"  {len(names)} x {reason}\n      {shown}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
