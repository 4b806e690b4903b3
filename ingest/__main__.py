"""python -m ingest [--rebuild]: parse knowledge/sources/ and bring the index up to date."""
from __future__ import annotations

import argparse
import sys

from assistant.config import Settings, SettingsError

from .build import build_index


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    parser.add_argument("--rebuild", action="store_true", help="re-embed everything even if nothing changed")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        report = build_index(settings, rebuild=args.rebuild,
                             progress=lambda f, msg: print(f"[{f:4.0%}] {msg}", file=sys.stderr))
    except Exception as exc:  # a broken source page or an unreachable chroma server: say which
        print(f"ingest failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"{report.status}: {report.chunks} chunks, {report.embedded} embedded, "
          f"{report.seconds:.2f}s; index at {settings.store_target}; parse dump {settings.data_dir / 'tree.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
