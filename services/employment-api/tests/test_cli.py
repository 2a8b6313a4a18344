"""The command line lists every command it runs, including the roster backfill docs/employment.md documents."""

import subprocess
import sys


def test_help_lists_backfill_roster() -> None:
    shown = subprocess.run(
        [sys.executable, "-m", "employment_api", "--help"], capture_output=True, text=True, check=True, timeout=60
    )
    for command in ("serve", "migrate", "backfill-roster"):
        assert command in shown.stdout
    assert "fill the labour roster" in shown.stdout
