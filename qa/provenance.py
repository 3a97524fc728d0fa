"""What produced an answer: qa's version, the full settings, the backends and models, and hashes of
the data that shape answers (metric vocabulary, agency and English glossaries, prompt files).

Frozen onto every Answer (`Answer.provenance`), so two answers can be compared and an answer can
be reproduced. Computed once per settings: a fact answer pays a dictionary lookup, not file reads.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from qa.settings import Settings
from qa.types import Provenance

PACKAGE = Path(__file__).parent
DATA_FILES = [PACKAGE / "facts" / "metrics.toml", PACKAGE / "data" / "agencies.toml",
              PACKAGE / "data" / "glossary.toml", PACKAGE / "data" / "en_terms.toml"]
SECRET = {"openai_api_key"}
LOCAL_MODEL = "Qwen2.5-Coder-1.5B-Instruct Q4_K_M"


def provenance(settings: Settings, mode: str) -> Provenance:
    return _provenance(settings.model_dump_json(exclude=SECRET), mode)


@lru_cache(maxsize=16)
def _provenance(settings_json: str, mode: str) -> Provenance:
    settings = json.loads(settings_json)
    model = {"local": settings.get("llm_model_path") or LOCAL_MODEL,
             "openai": f"{settings.get('openai_model')} at {settings.get('openai_base_url')}"}.get(mode, "")
    return Provenance(qa_version=_version(), settings_hash=_digest(settings_json.encode()), llm=mode, llm_model=model,
                      embedder=settings.get("embedder", ""), vocabulary_hash=files_digest(DATA_FILES),
                      prompts_hash=_prompts_digest())


def _version() -> str:
    try:
        return metadata.version("qa")
    except metadata.PackageNotFoundError:
        return "unknown"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def files_digest(paths: list[Path]) -> str:
    """A short hash of files' names and contents (the vocabulary an answer or an extraction used)."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


def _prompts_digest() -> str:
    h = hashlib.sha256()
    for entry in sorted(resources.files("qa.prompts").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".txt"):
            h.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return h.hexdigest()[:12]
