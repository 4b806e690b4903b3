"""Ingest time and memory against page size: synthetic notice pages of 100 KB, 1 MB and 10 MB.

    python bench/ingest_scale.py [--sizes 100k,1m,10m] [--shapes structured,sections,flat] [--out artifacts/bench]
                                 [--timeout 900] [--embed-sample 256] [--baseline FILE.json]

Writes <out>/ingest_scale.json, <out>/ingest_scale.md and <out>/ingest_scale.png.

Pages come from bench/synthetic.py `large_page`: "structured" (preamble, up to 99
sections, most with up to 99 items), "sections" (four sections of plain 第N条…
paragraphs, no items) and "flat" (a 第N条… regulation the parser reads as one
long preamble). Each (shape, size) runs in a fresh child process,
so the peak RSS reported is that page's own, and a stage that runs past
--timeout is reported as unfinished instead of stalling the benchmark.

Stages, in the order ingest.build runs them:
  read    read_page: bytes, sha256, UTF-8 decode, site chrome stripped   (ingest/page.py)
  tree    build_tree and the verbatim-slice check of every node           (ingest/tree.py)
  chunk   chunk_doc                                                       (ingest/chunks.py)
  tokens  BM25 tokens of every chunk (the one-off jieba dictionary load is timed apart, "tokenizer")
  write   tree.json and tree.md
  embed   model-bound and linear in chunks (a fixed rate on this CPU), so it is not run on the whole
          page: --embed-sample chunks are embedded and the full time is extrapolated ("embed est."),
          reported apart from the total. --embed-sample 0 skips it.
Peak RSS is the child's ru_maxrss after each stage (a high-water mark, so it only grows). A child
whose resident memory passes --max-rss-mb (default 6000) is stopped and reported as such.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

STAGES = ("read", "tree", "chunk", "tokens", "write")
SHAPES = ("structured", "sections", "flat")
DEFAULT_SIZES = "100k,1m,10m"


def parse_size(text: str) -> int:
    text = text.strip().lower()
    units = {"k": 1000, "m": 1000 ** 2}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def label(size: int) -> str:
    return f"{size / 1e6:g} MB" if size >= 1e6 else f"{size / 1e3:g} KB"


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


# --- child: one page, stage by stage ------------------------------------------------------

def _rss_watchdog(limit_mb: int) -> None:
    """Stop this child if its resident memory passes limit_mb (a quadratic stage can eat the machine)."""
    import threading
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024

    def watch():
        while True:
            try:
                rss_mb = int(Path("/proc/self/statm").read_text().split()[1]) * page_kb // 1024
            except (OSError, ValueError, IndexError):
                return
            if rss_mb > limit_mb:
                print(json.dumps({"stage": "rss_limit", "s": 0.0, "rss_limit_mb": limit_mb, "rss_mb": rss_mb}), flush=True)
                os._exit(3)
            time.sleep(0.2)

    threading.Thread(target=watch, daemon=True).start()


def child(page: Path, embed_sample: int, max_rss_mb: int = 0) -> None:
    def emit(**row):
        print(json.dumps(row, ensure_ascii=False), flush=True)

    if max_rss_mb:
        _rss_watchdog(max_rss_mb)

    from assistant.config import Settings
    from ingest.build import _write_json, tree_markdown
    from ingest.chunks import chunk_doc
    from ingest.page import read_page
    from ingest.tree import build_tree
    emit(stage="imports", s=0.0, rss_kb=_rss_kb())

    t = time.perf_counter()
    p = read_page(page)
    emit(stage="read", s=time.perf_counter() - t, rss_kb=_rss_kb())

    t = time.perf_counter()
    doc = {"doc_id": page.stem, "source": page.name, "sha256": p.sha256, "cleaned": p.cleaned,
           "metadata": p.metadata, "tables": None}
    doc["nodes"] = build_tree(p.cleaned, p.metadata)
    for n in doc["nodes"]:
        if doc["cleaned"][n["start"]:n["end"]] != n["text"]:
            raise AssertionError(f"node {n['id']} is not a verbatim slice")
    emit(stage="tree", s=time.perf_counter() - t, rss_kb=_rss_kb(), nodes=len(doc["nodes"]))

    t = time.perf_counter()
    chunks = chunk_doc(doc)
    emit(stage="chunk", s=time.perf_counter() - t, rss_kb=_rss_kb(), chunks=len(chunks),
         chunk_chars=sum(len(c.page_content) for c in chunks))

    from assistant.retrieval import tokenizer, tokens
    t = time.perf_counter()
    tk = tokenizer(Settings().knowledge_dir)
    tokens("预热", tk)
    emit(stage="tokenizer", s=time.perf_counter() - t, rss_kb=_rss_kb())
    t = time.perf_counter()
    for c in chunks:
        c.metadata["bm25"] = " ".join(tokens(c.page_content, tk))
    emit(stage="tokens", s=time.perf_counter() - t, rss_kb=_rss_kb())

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        _write_json(Path(tmp) / "tree.json", {"format_version": 0, "docs": [doc]})
        (Path(tmp) / "tree.md").write_text(tree_markdown([doc]), encoding="utf-8")
        emit(stage="write", s=time.perf_counter() - t, rss_kb=_rss_kb(),
             tree_json_bytes=(Path(tmp) / "tree.json").stat().st_size)

    if embed_sample > 0 and chunks:
        from assistant.embeddings import SentenceEmbeddings, load_model
        name = Settings().embedding_model
        emb = SentenceEmbeddings(load_model(name), name)
        emb.embed_query("预热")
        sample = [c.page_content for c in chunks[:embed_sample]]
        t = time.perf_counter()
        emb.embed_documents(sample)
        took = time.perf_counter() - t
        rate = len(sample) / took
        emit(stage="embed", s=took, rss_kb=_rss_kb(), sample=len(sample), chunks_per_s=rate,
             estimate_s=len(chunks) / rate)
    emit(done=True)


# --- parent ---------------------------------------------------------------------------------

def run_one(shape: str, size: int, tmp: Path, timeout: float, embed_sample: int, say=print,
            max_rss_mb: int = 6000) -> dict:
    from bench.synthetic import large_page
    text, exp = large_page(size, shape=shape)
    page = tmp / exp.file
    page.write_text(text, encoding="utf-8")
    row = {"shape": shape, "target_bytes": size, "bytes": page.stat().st_size, "stages": {}, "finished": False}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(page), "--embed-sample", str(embed_sample),
           "--max-rss-mb", str(max_rss_mb)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()                       # the child we started, by its handle
        out, err = proc.communicate()
        row["timeout_s"] = timeout
    row["wall_s"] = round(time.perf_counter() - started, 3)
    for line in out.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("done"):
            row["finished"] = True
            continue
        if "rss_limit_mb" in msg:
            row["rss_limit_mb"], row["rss_at_stop_kb"] = msg["rss_limit_mb"], msg["rss_mb"] * 1024
            continue
        stage = msg.pop("stage")
        row["stages"][stage] = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in msg.items()}
    if not row["finished"]:
        done = [s for s in ("read", "tree", "chunk", "tokenizer", "tokens", "write", "embed") if s in row["stages"]]
        nxt = next((s for s in ("read", "tree", "chunk", "tokenizer", "tokens", "write", "embed") if s not in done), None)
        row["unfinished_stage"] = nxt
        if "rss_limit_mb" in row:
            row["error"] = f"stopped: resident memory passed {row['rss_limit_mb']} MB"
        elif "timeout_s" not in row:
            row["error"] = (err or "").strip()[-1500:]
    st = row["stages"]
    row["nodes"] = st.get("tree", {}).get("nodes")
    row["chunks"] = st.get("chunk", {}).get("chunks")
    row["total_s"] = round(sum(st[s]["s"] for s in STAGES if s in st), 3) if all(s in st for s in STAGES) else None
    row["peak_rss_kb"] = max([v.get("rss_kb") or 0 for k, v in st.items() if k != "embed"]
                             + [row.get("rss_at_stop_kb", 0)], default=None)
    say(f"  {shape:10s} {label(size):>7s}: " + ", ".join(f"{s} {st[s]['s']:.2f}s" for s in STAGES if s in st)
        + (f"; total {row['total_s']:.2f}s" if row["total_s"] is not None else f"; unfinished at {row.get('unfinished_stage')}"
           + (f" after {timeout:.0f}s" if "timeout_s" in row else f" ({row.get('error', '')[-200:]})"))
        + f"; peak RSS {(row['peak_rss_kb'] or 0) / 1024:.0f} MiB"
        + (f"; embed est. {st['embed']['estimate_s']:.0f}s at {st['embed']['chunks_per_s']:.0f} chunks/s" if "embed" in st else ""))
    return row


def run(sizes: list[int], shapes: list[str], out: Path, timeout: float = 900, embed_sample: int = 256,
        baseline: Path | None = None, say=print, max_rss_mb: int = 6000) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    result = {"sizes": sizes, "shapes": shapes, "timeout_s": timeout, "embed_sample": embed_sample, "rows": [],
              "python": sys.version.split()[0], "cpus": os.cpu_count(),
              "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    try:
        result["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                          text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    with tempfile.TemporaryDirectory(prefix="ingest-scale-") as tmp:
        for shape in shapes:
            for size in sizes:
                result["rows"].append(run_one(shape, size, Path(tmp), timeout, embed_sample, say, max_rss_mb))
    if baseline and baseline.exists():
        result["baseline"] = json.loads(baseline.read_text(encoding="utf-8"))
    (out / "ingest_scale.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "ingest_scale.md").write_text(markdown(result), encoding="utf-8")
    try:
        plot(result, out / "ingest_scale.png")
    except Exception as exc:      # a plot is a nicety; the table is the result
        say(f"  plot failed: {type(exc).__name__}: {exc}")
    return result


def _cell(row: dict, stage: str) -> str:
    st = row["stages"].get(stage)
    if st:
        return f"{st['s']:.2f}"
    if row.get("unfinished_stage") in (stage, "tokenizer" if stage == "tokens" else None):
        if "timeout_s" in row:
            return f"> {row['timeout_s']:.0f} (timeout)"
        return f"> {row['rss_limit_mb'] / 1000:g} GB RSS (stopped)" if "rss_limit_mb" in row else "failed"
    return "–"


def table(result: dict) -> list[str]:
    out = ["| shape | page | nodes | chunks | read s | tree s | chunk s | tokens s | write s | total s | s per MB | peak RSS | embed est. |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in result["rows"]:
        st = r["stages"]
        emb = st.get("embed")
        per_mb = f"{r['total_s'] / (r['bytes'] / 1e6):.2f}" if r.get("total_s") is not None else "–"
        out.append(f"| {r['shape']} | {r['bytes'] / 1e6:.2f} MB | {r.get('nodes') or '–'} | {r.get('chunks') or '–'} | "
                   + " | ".join(_cell(r, s) for s in STAGES)
                   + f" | {format(r['total_s'], '.2f') if r.get('total_s') is not None else '–'} | {per_mb} | "
                     f"{(r['peak_rss_kb'] or 0) / 1024:.0f} MiB | "
                   + (f"{emb['estimate_s']:.0f} s ({emb['chunks_per_s']:.0f}/s)" if emb else "–") + " |")
    return out


def markdown(result: dict) -> str:
    out = ["# Ingest against page size", "",
           f"Synthetic pages from bench/synthetic.py `large_page`; {result['cpus']} CPUs, Python {result['python']}, "
           f"commit {result.get('commit', '?')}, {result['when']}. Each page in a fresh process; a stage past "
           f"{result['timeout_s']:.0f} s is reported as unfinished. Times in seconds; total = read + tree + chunk + "
           "tokens + write (the one-off jieba dictionary load and the embedding are not in it). Embedding is "
           f"model-bound and linear in chunks: {result['embed_sample']} chunks embedded, the full time extrapolated.", ""]
    out += table(result)
    if result.get("baseline"):
        b = result["baseline"]
        out += ["", f"## Baseline (commit {b.get('commit', '?')}, {b.get('when', '')})", ""] + table(b)
    out += ["", "![ingest time and memory against page size](ingest_scale.png)", ""]
    return "\n".join(out)


def plot(result: dict, path: Path) -> None:
    """Three panels: total against size (with the baseline, if any), the stages of this run, peak RSS."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(16, 5))
    shape_colors = dict(zip(SHAPES, ("tab:blue", "tab:green", "tab:orange")))
    stage_colors = dict(zip(STAGES, ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple")))
    base = result.get("baseline")

    def by_shape(res, shape):
        return sorted((r for r in res["rows"] if r["shape"] == shape), key=lambda r: r["bytes"])

    for shape in result["shapes"]:
        color = shape_colors.get(shape, "black")
        rows = by_shape(result, shape)
        done = [(r["bytes"] / 1e6, r["total_s"]) for r in rows if r.get("total_s") is not None]
        if done:
            ax1.plot(*zip(*done), "-o", color=color, lw=2, label=f"{shape}")
        rss = [(r["bytes"] / 1e6, r["peak_rss_kb"] / 1024) for r in rows if r.get("peak_rss_kb")]
        if rss:
            ax3.plot(*zip(*rss), "-o", color=color, lw=2, label=f"{shape}")
        if base:
            brows = by_shape(base, shape)
            pts = [(r["bytes"] / 1e6, r["total_s"] if r.get("total_s") is not None else r.get("wall_s"))
                   for r in brows]
            if pts:
                ax1.plot(*zip(*pts), "--", color=color, alpha=0.6, label=f"{shape}, before")
            cut = [(r["bytes"] / 1e6, r.get("wall_s")) for r in brows if r.get("total_s") is None]
            if cut:
                ax1.plot(*zip(*cut), "^", color=color, ms=10, alpha=0.8)
            brss = [(r["bytes"] / 1e6, r["peak_rss_kb"] / 1024) for r in brows if r.get("peak_rss_kb")]
            if brss:
                ax3.plot(*zip(*brss), "--", color=color, alpha=0.6, label=f"{shape}, before")
    first = result["shapes"][0] if result["shapes"] else None
    for stage in STAGES:
        pts = [(r["bytes"] / 1e6, r["stages"][stage]["s"]) for r in by_shape(result, first) if stage in r["stages"]]
        if pts:
            ax2.plot(*zip(*pts), "-o", color=stage_colors[stage], label=stage)
    xs = sorted({r["bytes"] / 1e6 for r in result["rows"]})
    for ax in (ax1, ax2):
        if xs:
            ax.plot(xs, [1.5 * x for x in xs], color="gray", lw=0.8, ls=":", label="1.5 s per MB (linear)")
        ax.set_yscale("log")
        ax.set_ylabel("seconds")
    for ax in (ax1, ax2, ax3):
        ax.set_xscale("log")
        ax.set_xlabel("page size (MB)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    ax1.set_title("Ingest total (read+tree+chunk+tokens+write)" + ("\nbefore: dashed; ▲ = stopped (timeout / RSS), "
                                                                    "time until then" if base else ""), fontsize=9)
    ax2.set_title(f"Stages, {first} pages (embedding excluded: model-bound)", fontsize=9)
    ax3.set_yscale("log")
    ax3.set_ylabel("peak RSS (MiB)")
    ax3.set_title("Peak RSS of the ingest process" + (" (before: dashed)" if base else ""), fontsize=9)
    fig.suptitle(f"Ingest against page size: {result['cpus']} CPUs, commit {result.get('commit', '?')}"
                 + (f" vs {base.get('commit', '?')}" if base else ""), fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default=DEFAULT_SIZES, help="page sizes, e.g. 100k,1m,10m")
    p.add_argument("--shapes", default=",".join(SHAPES))
    p.add_argument("--out", type=Path, default=ROOT / "artifacts" / "bench")
    p.add_argument("--timeout", type=float, default=900, help="seconds per page before it is reported unfinished")
    p.add_argument("--embed-sample", type=int, default=256, help="chunks to embed for the rate (0: skip)")
    p.add_argument("--baseline", type=Path, help="an earlier ingest_scale.json to show beside this run")
    p.add_argument("--max-rss-mb", type=int, default=6000, help="stop a page whose process passes this RSS")
    p.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args.child, args.embed_sample, args.max_rss_mb)
        return 0
    sizes = [parse_size(x) for x in args.sizes.split(",") if x.strip()]
    shapes = [x.strip() for x in args.shapes.split(",") if x.strip()]
    print(f"ingest scale: {', '.join(label(s) for s in sizes)} x {', '.join(shapes)} (timeout {args.timeout:.0f} s per page)")
    result = run(sizes, shapes, args.out, args.timeout, args.embed_sample, args.baseline, max_rss_mb=args.max_rss_mb)
    print(f"wrote {args.out / 'ingest_scale.md'}, .json and .png")
    return 0 if all(r["finished"] for r in result["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
