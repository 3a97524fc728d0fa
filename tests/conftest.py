"""Shared fixtures: one store with the real seed reports and corpus texts, ingested once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
CORPUS_TEXT = SHARED / "corpus" / "text"
CORPUS_PDF = SHARED / "corpus" / "pdf"
TEMPLATE_DIR = SHARED / "corpus" / "template"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def seed(name: str) -> Path:
    return SEEDS / f"{name}.txt"


def corpus_texts() -> list[Path]:
    return sorted(CORPUS_TEXT.glob("*.txt"))


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("qa-data")
    os.environ["QA_DATA_DIR"] = str(path)
    os.environ["QA_LLM"] = "none"
    os.environ["QA_AUTO_INGEST_SEEDS"] = "false"
    from qa.settings import reset_settings

    reset_settings()
    return path


@pytest.fixture(scope="session")
def settings(data_dir):
    from qa.settings import get_settings

    return get_settings()


@pytest.fixture(scope="session")
def ingested(settings):
    """The five seeds and the corpus texts, ingested into the session store."""
    from qa.ingest import ingest

    results = ingest([SEEDS, *corpus_texts()], settings)
    assert all(r.status in ("added", "replaced", "unchanged") for r in results), [r.message for r in results]
    return results


@pytest.fixture(scope="session")
def store(settings, ingested):
    from qa.ingest import open_store

    return open_store(settings)


def assert_counted(answer, value, quote: str) -> None:
    """An answer without the LLM (fact or extract) with this value, citing a quote that holds `quote`."""
    assert answer.mode in ("fact", "extract"), answer.text
    assert answer.value == value, answer.text
    assert any(quote in c.quote for c in answer.citations), [c.quote for c in answer.citations]
