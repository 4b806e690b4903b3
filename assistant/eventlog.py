"""The JSON-lines operator log (ASSISTANT_LOG): one object per line, with a time stamp.

Writing never raises: a log that cannot be written must not stop an answer or a build.
"""
from __future__ import annotations

import json
import time
from pathlib import Path


def append_event(path: Path | None, event: dict) -> None:
    if not path:
        return
    try:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **event}, ensure_ascii=False) + "\n")
    except OSError:
        pass
