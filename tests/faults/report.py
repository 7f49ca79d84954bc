"""The last run's fault figures as the Markdown table of docs/reliability.md:
`.venv/bin/python -m tests.faults.report` after `make test` (or `pytest tests/faults`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
COLUMNS = [("recipients", "recipients"), ("delivered", "delivered"), ("lost", "lost"),
           ("duplicated", "received twice"), ("marked", "marked possible duplicate"),
           ("unmarked_duplicates", "twice, unmarked"), ("failed_in_flight", "failed in flight"),
           ("seconds_to_final", "accept → all final (s)")]


def table(folder: Path) -> str:
    rows = [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]
    lines = ["| scenario | " + " | ".join(title for _key, title in COLUMNS) + " | measured |",
             "| --- " * (len(COLUMNS) + 2) + "|"]
    for row in rows:
        cells = [f"{row[key]:,}" if isinstance(row[key], int) else str(row[key])
                 for key, _title in COLUMNS]
        lines.append(f"| {row['scenario']} | " + " | ".join(cells)
                     + f" | {row['measured_at']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    artifacts = Path(os.environ.get("TEST_ARTIFACTS") or BASE / "var" / "test-artifacts")
    print(table(artifacts / "faults"))
