"""python -m ingest [--rebuild]: parse knowledge/sources/, bring the index up to date.

A source page that cannot be used is skipped with a "warning:" line on stderr
(exit status 0: the other pages are indexed). A build that fails leaves the
working index as it was (exit status 1); bad settings exit with status 2.
"""
from __future__ import annotations

import argparse
import sys

from assistant.config import Settings, SettingsError

from .build import build_index, required_doc


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest", description=__doc__.split("\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="re-embed everything even if nothing changed")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        report = build_index(settings, rebuild=args.rebuild, require=required_doc(settings),
                             progress=lambda f, msg: print(f"[{f:4.0%}] {msg}", file=sys.stderr))
    except Exception as exc:  # a broken annex, no usable page, an unreachable chroma server: say which
        print(f"ingest failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("the index in use (if any) was left as it was", file=sys.stderr)
        return 1
    if report.repaired:
        print(f"warning: the previous index was unusable ({report.repaired}); built a new one", file=sys.stderr)
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    where = report.manifest.get("store", settings.store_target)
    note = f"; {len(report.warnings)} source(s) skipped (see warnings)" if report.warnings else ""
    print(f"{report.status}: {report.chunks} chunks, {report.embedded} embedded, {report.seconds:.2f}s; "
          f"index at {where} (collection {report.manifest.get('collection')}); "
          f"parse dump {report.build_dir / 'tree.md'}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
