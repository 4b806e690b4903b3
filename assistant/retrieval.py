"""Hybrid retrieval: dense (chroma) + BM25 over jieba tokens, fused by reciprocal rank.

Dense retrieval finds paraphrases ("去工地干活" ~ "向住房城乡建设部门申请");
BM25 with a domain dictionary pins exact certificate and department names that
an embedding blurs (低压 vs 高压). Reciprocal rank fusion needs no score
calibration between the two, which matters because cosine similarities and BM25
scores live on unrelated scales.

The retriever is a plain object on the answering path: subclassing langchain's
BaseRetriever imports langsmith and its tracers (~0.5 CPU-s of every cold start).
`as_langchain()` gives the same retrieval as a langchain BaseRetriever when wanted.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import numpy as np
from langchain_core.documents import Document
from scipy.sparse import csc_matrix

RRF_K = 60
STOP = set("的了吗呢吧啊呀么嘛哦我你他她它们是在和与及或也都就还要会能可以这那个些有没不什么怎么如何请问一下")
TOKEN = re.compile(r"[\u4e00-\u9fff]|[a-zA-Z0-9]")
jieba.setLogLevel(60)


@lru_cache(maxsize=2)
def tokenizer(knowledge_dir: Path) -> jieba.Tokenizer:
    """jieba with the notice's own terms, so "建筑电工" and "低压电工作业" stay whole."""
    tk = jieba.Tokenizer()
    words = set()
    certs = json.loads((knowledge_dir / "certificates.json").read_text(encoding="utf-8"))
    for c in certs["certificates"]:
        words.update(c["surfaces"])
    for g in certs["generic"]:
        words.update(g["surfaces"])
    aliases = json.loads((knowledge_dir / "aliases.json").read_text(encoding="utf-8"))
    for group in ("departments", "terms"):
        words.update(aliases[group])
    words.update(["免予", "安全作业培训", "安全技术培训", "安全技术考试", "理论考试", "实操考试", "一试多证",
                  "互通互认", "联合评价", "技能人才评价工作网", "职业技能等级认定", "动火作业", "视同", "合法有效"])
    for w in sorted(words):
        tk.add_word(w, freq=2_000_000)
    return tk


def tokens(text: str, tk: jieba.Tokenizer) -> list[str]:
    out = []
    for w in tk.lcut(text):
        w = w.strip()
        if not w or w in STOP or not TOKEN.search(w):
            continue
        out.append(w)
    return out


# Words that carry no content of their own in a question about the notice.
QUESTION_WORDS = set("规定 通知 文件 政策 请问 问 问题 知道 告诉 说 讲 哪里 哪儿 怎么 怎样 如何 多少 是否 能否 能不能 可不可以 "
                     "是不是 有没有 一下 这个 那个 咱们 我们 你们 他们 现在 需要 应该 具体 相关 情况 方面 里 中 上 下".split())


def content_words(text: str, tk: jieba.Tokenizer) -> list[str]:
    return list(dict.fromkeys(w for w in tokens(text, tk) if w not in QUESTION_WORDS and len(w) > 1))


def unknown_nouns(text: str, tk: jieba.Tokenizer, notice_text: str, known: set, on_subject=()) -> list[str]:
    """Nouns of the question that the notice never uses ("职称", "学历证书", "报名费"): the question is
    about something else, so the nearest sentence must not be offered as its answer."""
    return [w for w, flag in _tagger(tk).lcut(text)
            if len(w) >= 2 and (flag.startswith("n") or flag == "vn") and w not in notice_text and w not in known
            and not any(s in w for s in on_subject)]


@lru_cache(maxsize=4)
def _tagger(tk: jieba.Tokenizer):
    """A part-of-speech tagger over `tk`, built once: POSTokenizer reads jieba's whole
    dictionary file (~0.5 s) each time it is constructed."""
    import jieba.posseg
    return jieba.posseg.POSTokenizer(tk)


class SparseBM25:
    """Okapi BM25 (the rank_bm25 formula: k1=1.5, b=0.75, negative idf floored at
    0.25 x mean idf) with the per-term weights precomputed in a sparse matrix.

    rank_bm25 loops over every document per query term in Python: 33 ms at 10k
    chunks, linear beyond. Here a query sums a few matrix columns: well under a
    millisecond at 100k chunks, same scores.
    """

    def __init__(self, corpus_tokens: list[list[str]], k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25):
        self.vocab: dict[str, int] = {}
        rows, cols, tfs = [], [], []
        lengths = np.array([len(toks) for toks in corpus_tokens], dtype=np.float64)
        for d, toks in enumerate(corpus_tokens):
            counts: dict[int, int] = {}
            for t in toks:
                j = self.vocab.setdefault(t, len(self.vocab))
                counts[j] = counts.get(j, 0) + 1
            rows += [d] * len(counts)
            cols += list(counts)
            tfs += list(counts.values())
        n_docs = len(corpus_tokens)
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(self.vocab)).astype(np.float64)
        idf = np.log(n_docs - df + 0.5) - np.log(df + 0.5)
        idf[idf < 0] = epsilon * idf.mean() if len(idf) else 0.0
        tf = np.asarray(tfs, dtype=np.float64)
        rows_a = np.asarray(rows, dtype=np.int64)
        norm = k1 * (1 - b + b * lengths[rows_a] / max(lengths.mean(), 1e-9))
        weights = idf[np.asarray(cols, dtype=np.int64)] * tf * (k1 + 1) / (tf + norm)
        self.matrix = csc_matrix((weights, (rows_a, np.asarray(cols, dtype=np.int64))),
                                 shape=(n_docs, len(self.vocab)))
        self.n_docs = n_docs

    def get_scores(self, query_tokens: list[str]) -> np.ndarray:
        cols = [self.vocab[t] for t in query_tokens if t in self.vocab]   # repeats count, as in rank_bm25
        if not cols:
            return np.zeros(self.n_docs)
        return np.asarray(self.matrix[:, cols].sum(axis=1)).ravel()


@dataclass
class Hit:
    doc: Document
    score: float                 # fused RRF score
    dense: float | None = None   # cosine similarity, when the dense side found it
    bm25: float | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.doc.metadata["doc_number"], self.doc.metadata["article"]


class HybridRetriever:
    """Dense + BM25 retrieval; `search` exposes the scores the answer logic needs."""

    def __init__(self, store, corpus: list, bm25, tk, k: int = 5):
        self.store = store        # .similarity_search_with_score(query, k, filter) (store.QueryStore or langchain's Chroma)
        self.corpus = corpus      # all chunk Documents, as stored in chroma
        self.bm25 = bm25
        self.tk = tk
        self.k = k
        self._doc_masks: dict = {}    # doc_id -> which corpus rows belong to it

    @classmethod
    def from_store(cls, store, knowledge_dir: Path, k: int = 5) -> "HybridRetriever":
        corpus = []
        # Paged: one get() of ~100k chunks exceeds sqlite's limit on SQL variables.
        for offset in range(0, store._collection.count(), 5000):
            got = store.get(include=["documents", "metadatas"], limit=5000, offset=offset)
            corpus += [Document(id=i, page_content=t, metadata=m)
                       for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])]
        if not corpus:
            raise LookupError("the index holds no chunks")
        corpus.sort(key=lambda d: (d.metadata["doc_id"], d.metadata["start"], d.metadata["chunk"]))
        tk = tokenizer(knowledge_dir)
        bm25 = SparseBM25([d.metadata["bm25"].split() if "bm25" in d.metadata else tokens(d.page_content, tk)
                           for d in corpus])
        return cls(store=store, corpus=corpus, bm25=bm25, tk=tk, k=k)

    def as_langchain(self):
        """This retrieval as a langchain BaseRetriever (imports langchain's retriever machinery)."""
        from langchain_core.retrievers import BaseRetriever
        outer = self

        class LangchainHybridRetriever(BaseRetriever):
            def _get_relevant_documents(self, query: str, *, run_manager=None) -> list[Document]:
                return [h.doc for h in outer.search(query, outer.k)]

        return LangchainHybridRetriever()

    def invoke(self, query: str, config=None, **kwargs) -> list[Document]:
        return self.as_langchain().invoke(query, config, **kwargs)

    def dense(self, query: str, k: int, doc_id: str | None = None) -> list[tuple[Document, float]]:
        where = {"doc_id": doc_id} if doc_id else None
        found = self.store.similarity_search_with_score(query, k=k, filter=where)
        return [(d, 1.0 - dist) for d, dist in found]

    def lexical(self, query: str, k: int, doc_id: str | None = None) -> list[tuple[Document, float]]:
        q = tokens(query, self.tk)
        if not q:
            return []
        scores = self.bm25.get_scores(q)
        if doc_id is not None:
            scores = np.where(self.doc_mask(doc_id), scores, 0.0)
        top = np.argpartition(-scores, min(k, len(scores) - 1))[:k] if len(scores) > k else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.corpus[i], float(scores[i])) for i in top if scores[i] > 0]

    def doc_mask(self, doc_id: str) -> np.ndarray:
        if doc_id not in self._doc_masks:
            self._doc_masks[doc_id] = np.array([d.metadata["doc_id"] == doc_id for d in self.corpus])
        return self._doc_masks[doc_id]

    def search(self, query: str, k: int = 5, doc_id: str | None = None, mode: str = "hybrid") -> list[Hit]:
        pool = max(k * 4, 20)
        dense = self.dense(query, pool, doc_id) if mode in ("hybrid", "dense") else []
        lexical = self.lexical(query, pool, doc_id) if mode in ("hybrid", "bm25") else []
        hits: dict[str, Hit] = {}
        for rank, (d, sim) in enumerate(dense):
            h = hits.setdefault(d.id, Hit(d, 0.0))
            h.score += 1.0 / (RRF_K + rank + 1)
            h.dense = sim
        for rank, (d, s) in enumerate(lexical):
            h = hits.setdefault(d.id, Hit(d, 0.0))
            h.score += 1.0 / (RRF_K + rank + 1)
            h.bm25 = s
        return sorted(hits.values(), key=lambda h: -h.score)[:k]

    def items(self, query: str, k: int = 3, doc_id: str | None = None, mode: str = "hybrid") -> list[Hit]:
        """Best hit per cited article (doc number + article), in fused order."""
        seen, out = set(), []
        for h in self.search(query, k * 6, doc_id, mode):
            if h.key not in seen:
                seen.add(h.key)
                out.append(h)
            if len(out) == k:
                break
        return out
