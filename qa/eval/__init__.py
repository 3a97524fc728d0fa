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

from qa.eval.checks import invented_numbers, other_agency_citations
from qa.eval.gold import GoldItem, Kind, Language, check_evidence, default_gold_paths, load_gold, load_sets
from qa.eval.paths import DEFAULT_GOLD, DEFAULT_REPORT_DIRS, DEFAULT_THRESHOLDS, EVAL_STORE_EMBEDDER, PROJECT_ROOT
from qa.eval.run import EvalReport, ask_one, run_eval
from qa.eval.score import GateCheck, QuestionResult, Scores, aggregate, check_gate, load_thresholds, score, why_failed
from qa.eval.stores import EvalStore, MissingReports, plan_store

__all__ = [
    "DEFAULT_GOLD", "DEFAULT_REPORT_DIRS", "DEFAULT_THRESHOLDS", "EVAL_STORE_EMBEDDER", "PROJECT_ROOT",
    "EvalReport", "EvalStore", "GateCheck", "GoldItem", "Kind", "Language", "MissingReports", "QuestionResult",
    "Scores", "aggregate", "ask_one", "check_evidence", "check_gate", "default_gold_paths", "invented_numbers",
    "load_gold", "load_sets", "load_thresholds", "other_agency_citations", "plan_store", "run_eval", "score",
    "why_failed",
]
