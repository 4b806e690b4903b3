"""Citations that are checked, not trusted.

Every quote a reply carries must be a verbatim run of the indexed text of the
article it names. The check runs against the chunk bodies read back from
chroma (the prefix headings excluded), so a quote drawn from a stale table, a
template or an LLM that paraphrased is caught here, dropped and logged, and
never shown.
"""
from __future__ import annotations

import json
import logging
import time

log = logging.getLogger("assistant.citations")


class Citer:
    def __init__(self, corpus, docs: list[dict], log_path=None):
        self.text: dict[tuple[str, str], str] = {}
        for d in corpus:   # corpus is in document order
            m = d.metadata
            key = (m["doc_number"], m["article"])
            self.text[key] = self.text.get(key, "") + d.page_content[m["body_offset"]:]
        self.meta = {d["metadata"]["doc_number"]: d["metadata"] for d in docs}
        self.labels = {(d["metadata"]["doc_number"], n["article"]): n["label"] for d in docs for n in d["nodes"]}
        self.items = {(d["metadata"]["doc_number"], n["article"]): n["text"]
                      for d in docs for n in d["nodes"] if n["kind"] != "sentence"}
        self.log_path = log_path
        self.dropped: list[dict] = []

    def verify(self, doc_number: str, article: str, quote: str) -> bool:
        return bool(quote) and quote in self.text.get((doc_number, article), "")

    def cite(self, doc_number: str, article: str, quote: str, derived: bool = False, note: str = "") -> dict | None:
        if not self.verify(doc_number, article, quote):
            self._drop(doc_number, article, quote)
            return None
        meta = self.meta.get(doc_number, {})
        return {"doc": doc_number, "article": article, "label": self.labels.get((doc_number, article), article),
                "quote": quote, "doc_title": meta.get("title", ""), "date": meta.get("published", ""),
                "derived": derived, "note": note}

    def _drop(self, doc_number, article, quote):
        event = {"event": "quote_dropped", "doc": doc_number, "article": article, "quote": quote[:200],
                 "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
        self.dropped.append(event)
        log.warning("dropped a quote that is not verbatim in %s %s", doc_number, article)
        if self.log_path:
            try:
                self.log_path.parent.mkdir(parents=True, exist_ok=True)
                with open(self.log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(event, ensure_ascii=False) + "\n")
            except OSError:
                pass
