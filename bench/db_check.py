"""After a run: compare the ideas the client saw acked with the rows in the database.

    python bench/db_check.py REPORT.json DB_KEYS.txt

DB_KEYS.txt holds one line per contribution row of the workshop: the idea key at the
start of its body (`run.sh` writes it with psql). Every acked idea must be stored exactly
once: `missing` (acked, no row) and `duplicates` (rows beyond the first for one idea)
must be 0. The figures are added to REPORT.json under "db"; exit code 1 if either is not
0, 2 if the files cannot be read.
"""

import json
import sys
from collections import Counter
from pathlib import Path


def check(report: dict, db_keys: list[str]) -> dict:
    rows = Counter(db_keys)
    acked = {row["key"] for row in report.get("ideas", []) if row.get("ack_ms") is not None}
    sent = {row["key"] for row in report.get("ideas", [])}
    # Rows without a key are not the run's ideas (the notes a vote was prepared on).
    duplicated = {key: n for key, n in rows.items() if n > 1 and key}
    return {
        "rows": sum(rows.values()),
        "distinct_ideas": len(rows),
        "duplicates": sum(n - 1 for n in duplicated.values()),
        "duplicate_examples": sorted(duplicated)[:10],
        "acked_missing": len(acked - rows.keys()),
        "acked_missing_examples": sorted(acked - rows.keys())[:10],
        "stored_not_acked": len((rows.keys() & sent) - acked),
        "foreign_rows": sum(n for key, n in rows.items() if key not in sent),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        report_path = Path(argv[1])
        report = json.loads(report_path.read_text(encoding="utf-8"))
        db_keys = Path(argv[2]).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as exc:
        print(f"db_check: {exc}", file=sys.stderr)
        return 2
    figures = check(report, db_keys)
    report["db"] = figures
    report_path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(
        f"contributions    {figures['rows']} rows, {figures['distinct_ideas']} distinct ideas: "
        f"DUPLICATES {figures['duplicates']}; acked ideas MISSING {figures['acked_missing']}; "
        f"stored but never acked {figures['stored_not_acked']}; other rows "
        f"{figures['foreign_rows']}"
        + (f"; duplicated e.g. {figures['duplicate_examples']}" if figures["duplicates"] else "")
        + (
            f"; missing e.g. {figures['acked_missing_examples']}"
            if figures["acked_missing"]
            else ""
        )
    )
    return 1 if figures["duplicates"] or figures["acked_missing"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
