"""Command line: a thin layer over Assistant and Conversation.

  python -m assistant ask [--json] [--mode worker|helpline] "question" ["follow-up" ...]
  python -m assistant batch   < conversations.jsonl   ({"id", "turns"} per line)
  python -m assistant eval [FILE]
  python -m assistant ready [--wait SECONDS]   exit 0 only when this configuration can serve (the probe)
"""
from __future__ import annotations

import argparse
import json
import sys


def public(reply) -> dict:
    """The reply as other tools receive it."""
    from .render import json_dict
    return json_dict(reply)


def _load():
    from . import Assistant, IndexUnavailable
    from .config import SettingsError
    try:
        a = Assistant.shared(progress=lambda f, msg: print(f"[index {f:4.0%}] {msg}", file=sys.stderr))
    except (IndexUnavailable, SettingsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except Exception as exc:
        print(f"error: the assistant could not start ({type(exc).__name__}: {exc}). "
              "Try: python -m ingest --rebuild", file=sys.stderr)
        sys.exit(2)
    for w in a.status().get("warnings", []):    # skipped sources, a rebuild that failed: the operator must see them
        print(f"warning: {w}", file=sys.stderr)
    return a


def cmd_ask(args) -> int:
    _utf8_streams()
    a = _load()
    conv = a.conversation(mode=args.mode)
    for question in args.turns:
        reply = conv.ask(question)
        if args.json:
            print(json.dumps(public(reply), ensure_ascii=False), flush=True)
        else:
            from .render import cli_text
            print(cli_text(question, reply), flush=True)
    return 0


def _utf8_streams() -> None:
    # Undecodable input bytes become U+FFFD, so one odd line cannot stop the batch.
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def _line(obj: dict) -> str:
    # Lone surrogates (from "\ud800" escapes or undecodable bytes) cannot be written as UTF-8.
    return json.dumps(obj, ensure_ascii=False).encode("utf-8", "replace").decode("utf-8") + "\n"


def run_batch(assistant, lines, out, mode: str = "worker") -> None:
    """One {"id","replies"} line per input line; a bad line gets {"id": null, "line", "error"} and the batch goes on."""
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("turns"), list):
                raise ValueError('each line must be an object {"id": ..., "turns": ["question", ...]}')
        except (ValueError, RecursionError) as exc:   # JSONDecodeError is a ValueError
            out.write(_line({"id": None, "line": line_no,
                             "error": f"bad input line {line_no}: {type(exc).__name__}: {exc}"[:500]}))
            out.flush()
            continue
        try:
            conv = assistant.conversation(mode=item["mode"] if item.get("mode") in ("worker", "helpline") else mode)
            replies = [public(conv.ask(t if isinstance(t, str) else json.dumps(t, ensure_ascii=False)))
                       for t in item["turns"]]
            out.write(_line({"id": item.get("id"), "replies": replies}))
        except Exception as exc:  # never lose the lines after this one
            out.write(_line({"id": item.get("id") if isinstance(item.get("id"), (str, int)) else None,
                             "line": line_no, "error": f"line {line_no} could not be answered: {type(exc).__name__}"}))
        out.flush()


def cmd_batch(args) -> int:
    _utf8_streams()
    run_batch(_load(), sys.stdin, sys.stdout, args.mode)
    return 0


def cmd_eval(args) -> int:
    from .evaluate import evaluate, print_report
    a = _load()
    report = evaluate(a, args.file)
    print_report(report)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=1)
    return 0


def readiness(settings=None) -> dict:
    """{"ready": bool, "why" or the index's figures}: loaded, current, reachable, one question answered.

    Never builds or writes: an embedded index that is missing or out of date, like a chroma server's
    that ingest has not published, is reported, not rebuilt."""
    import time
    from . import Assistant, IndexUnavailable, RetrievalUnavailable
    from .config import Settings, SettingsError
    started = time.perf_counter()
    try:
        s = settings or Settings.from_env()
        if not s.chroma_host:
            from ingest.build import inspect_index
            from .embeddings import model_id
            state = inspect_index(s, model_id(s.embedding_model))
            if not state.current:
                return {"ready": False, "why": f"the index in {s.data_dir} is not current "
                        f"({state.problem or state.stale}); run: python -m ingest"}
        a = Assistant.load(s)
        warm = a.warm_up()
    except (SettingsError, IndexUnavailable, RetrievalUnavailable) as exc:
        return {"ready": False, "why": str(exc)}
    except Exception as exc:
        return {"ready": False, "why": f"{type(exc).__name__}: {str(exc)[:500]}"}
    if not warm["hits"] or warm["verdicts"][0] != "answered" or not warm["citations"]:
        return {"ready": False, "why": f"the warm-up question was not answered with a citation: {warm}"}
    st = a.status()
    return {"ready": True, "store": st["store"], "collection": st["collection"], "build": st["build"],
            "chunks": st["chunks"], "state": st["state"], "seconds": round(time.perf_counter() - started, 2)}


def cmd_ready(args) -> int:
    import time
    deadline = time.monotonic() + args.wait
    while True:
        result = readiness()
        if result["ready"] or time.monotonic() >= deadline:
            break
        time.sleep(min(5.0, max(0.0, deadline - time.monotonic())))
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0 if result["ready"] else 1


def main(argv=None) -> int:
    import signal
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # `… | head` ends quietly
    p = argparse.ArgumentParser(prog="python -m assistant")
    sub = p.add_subparsers(dest="cmd", required=True)
    ask = sub.add_parser("ask", help="ask one conversation; each argument is a turn")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--mode", choices=["worker", "helpline"], default="worker")
    ask.add_argument("turns", nargs="+")
    ask.set_defaults(fn=cmd_ask)
    batch = sub.add_parser("batch", help="JSON Lines in, JSON Lines out")
    batch.add_argument("--mode", choices=["worker", "helpline"], default="worker")
    batch.set_defaults(fn=cmd_batch)
    ev = sub.add_parser("eval", help="evaluate against a conversations file with gold fields")
    ev.add_argument("file", nargs="?", default="tests/data/dev_conversations.jsonl")
    ev.add_argument("--json-out")
    ev.set_defaults(fn=cmd_eval)
    ready = sub.add_parser("ready", help="exit 0 only when the index is loaded, current, reachable and answers")
    ready.add_argument("--wait", type=float, default=0.0, help="keep checking for up to this many seconds")
    ready.set_defaults(fn=cmd_ready)
    args = p.parse_args(argv)
    return args.fn(args)
