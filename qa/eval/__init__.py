"""`qa eval`: run gold sets of questions through `qa.ask()` and score the answers (see eval/README.md).

paths.py   where eval/ and the reports the gold sets cite live
gold.py    the gold schema (GoldItem), loading sets, checking evidence against the reports
text.py    how answer text and numbers are compared with the gold
checks.py  numbers an answer invents, citations of an agency the question did not name
score.py   one answer → QuestionResult, many → Scores, Scores → the gate
stores.py  which store is asked: the user's, or a temporary one filled with the gold reports
run.py     run_eval → EvalReport
The `qa eval` command (options, printing, exit codes) is qa/cli/eval.py.
Every module here imports only pydantic at import time: heavy imports stay inside functions.
"""

import importlib

# Loaded on first use: `qa ask` imports qa.eval.paths (for `qa eval`'s option defaults), which
# must not pull the scorer and its answer imports into a fact question's cold start.
_HOME = {
    "invented_numbers": "checks", "other_agency_citations": "checks",
    "GoldItem": "gold", "Kind": "gold", "Language": "gold", "check_evidence": "gold", "default_gold_paths": "gold",
    "load_gold": "gold", "load_sets": "gold",
    "DEFAULT_GOLD": "paths", "DEFAULT_REPORT_DIRS": "paths", "DEFAULT_THRESHOLDS": "paths",
    "EVAL_STORE_EMBEDDER": "paths", "PROJECT_ROOT": "paths",
    "EvalReport": "run", "ask_one": "run", "run_eval": "run",
    "GateCheck": "score", "QuestionResult": "score", "Scores": "score", "aggregate": "score", "check_gate": "score",
    "load_thresholds": "score", "score": "score", "why_failed": "score",
    "EvalStore": "stores", "MissingReports": "stores", "plan_store": "stores",
}


def __getattr__(name: str):
    if name in _HOME:
        return getattr(importlib.import_module(f"qa.eval.{_HOME[name]}"), name)
    raise AttributeError(name)


__all__ = [
    "DEFAULT_GOLD", "DEFAULT_REPORT_DIRS", "DEFAULT_THRESHOLDS", "EVAL_STORE_EMBEDDER", "PROJECT_ROOT",
    "EvalReport", "EvalStore", "GateCheck", "GoldItem", "Kind", "Language", "MissingReports", "QuestionResult",
    "Scores", "aggregate", "ask_one", "check_evidence", "check_gate", "default_gold_paths", "invented_numbers",
    "load_gold", "load_sets", "load_thresholds", "other_agency_citations", "plan_store", "run_eval", "score",
    "why_failed",
]
