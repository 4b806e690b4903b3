"""Unused imports and names, undefined names: caught before they become dead code or a NameError."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_pyflakes_finds_nothing():
    out = subprocess.run([sys.executable, "-m", "pyflakes", "assistant", "ingest", "bench", "tests", "app.py", "ui.py", "pages"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
