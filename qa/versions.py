"""What read a stored report: the extractor version and the settings that shape its rows.

Every stored report records both (`reports.extractor_version`, `reports.extraction_settings`).
`qa ingest` reads a file again when its content is unchanged but either differs, so an upgrade
never leaves stale facts, sections or chunks behind; `qa doctor` lists the reports still stale.

Bump EXTRACTOR_VERSION whenever a change to reading, sections, chunking, facts or meta
(agency, year, template) changes what an unchanged file yields.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, Field

from qa.types import StoredReport

EXTRACTOR_VERSION = 8  # 2: glued 历年累计 split by the prose; 2019 amounts keep the unit written after them
# 3: a cover letter's title (关于报送《X…年度报告》的函) names X; 4: a sentence opening with 其中 breaks
# down the total of the sentence before it; 依申请公开/不予公开 after 制发政府信息…其中 are own documents;
# 5: a prose line quoting a title with a pipe in it (《…|…》) is prose, not a table row; 6: measure and
# vehicle units (公里, 亩, 吨, 辆, 艘, 座 …); 7: run-together cells written with their units (2笔 984361元);
# 8: 不予公开 after 制发…其中 (a table metric's name) counts own documents too; 不子公开信息数 (a misprint);
# 没有收到申请…涉及 is no zero of requests; 未收取信息处理费 is a zero of fees; 查询点数 (statistics table)

# Settings that change what is stored for a report (not the LLM, the embedder — the vector
# collection's name carries it — nor the data dir). The size limits only refuse files.
EXTRACTION_SETTINGS = ("chunk_chars",)


class Extraction(BaseModel):
    """The extractor and settings a report was read with."""

    version: Optional[int] = Field(default=None, description="EXTRACTOR_VERSION of the qa that read the report "
                                                             "(None: an older qa that did not record it).")
    settings: str = Field(default="", description="JSON of the EXTRACTION_SETTINGS it was read with "
                                                  "('' when not recorded).")


# Data files that shape what is extracted: the metric vocabulary (names the prose extractor looks
# for) and the agency names (canonical agency of a report). An edit to either makes reports stale.
VOCABULARY_FILES = ("facts/metrics.toml", "data/agencies.toml")


@lru_cache(maxsize=1)
def vocabulary_hash() -> str:
    from qa.provenance import files_digest

    return files_digest([Path(__file__).parent / name for name in VOCABULARY_FILES])


def current_extraction(settings) -> Extraction:
    """What this qa, with these settings, would record for a report it reads now."""
    values = {name: getattr(settings, name) for name in EXTRACTION_SETTINGS} | {"vocabulary": vocabulary_hash()}
    return Extraction(version=EXTRACTOR_VERSION, settings=json.dumps(values, sort_keys=True))


def stored_extraction(stored: StoredReport) -> Extraction:
    """What read a stored report (nothing recorded: an older qa)."""
    return Extraction(version=stored.extractor_version, settings=stored.extraction_settings or "")


def extraction_change(stored: Extraction, current: Extraction) -> str:
    """'' when a report read with `stored` is up to date, else what changed
    ("extractor 3 → 4", "chunk_chars 300 → 500")."""
    changes = []
    if stored.version != current.version:
        changes.append(f"extractor {'?' if stored.version is None else stored.version} → {current.version}")
    if stored.settings != current.settings:
        old, new = _settings(stored.settings), _settings(current.settings)
        if old:  # none recorded (an older qa): "extractor ? → N" says it already
            changes += [f"{name} {old.get(name, '?')} → {new.get(name, '?')}"
                        for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]
        if not changes:  # unparseable, or differing only in form: still a change
            changes.append("extraction settings changed")
    return ", ".join(changes)


def _settings(blob: str) -> dict:
    try:
        values = json.loads(blob) if blob else {}
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}
