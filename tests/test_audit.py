"""The audit on real reports: known errors are found, consistent reports give no error findings."""

from __future__ import annotations

from qa.answer.audit import audit, resolve_reports


def _report(store, name):
    (rid,) = resolve_reports(store, [name])
    return audit(store, [rid]).reports[0]


def test_hongze_2023_review_totals(store):
    rep = _report(store, "35_huaian-hongze-district_2023.txt")
    errors = [f for f in rep.findings if f.severity == "error"]
    assert {(f.check, f.found, f.expected) for f in errors} == {
        ("review_total", 0, 11),  # 行政复议 维持 10 + 纠正 1, 总计 0
        ("review_total", 0, 5),   # 复议后起诉 维持 5, 总计 0
    }
    for f in errors:
        assert f.citations and "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0" in f.citations[0].quote
    assert any("维持 10" in f.message for f in errors) and any("复议后起诉" in f.message for f in errors)


def test_consistent_reports_have_no_errors(store):
    for name in ("38_huaian-city_2024.txt", "39_huaian-hongze-district_2024.txt"):
        rep = _report(store, name)
        assert rep.checks > 30  # the checks ran (tables read)
        assert [f for f in rep.findings if f.severity == "error"] == [], (name, rep.findings)
        assert not [f for f in rep.findings if f.check in ("missing_section", "table_missing", "unparsed")]


def test_prose_vs_table_is_a_warning(store):
    rep = _report(store, "39_huaian-hongze-district_2024.txt")
    (f,) = [f for f in rep.findings if f.check == "prose_vs_table"]
    assert f.severity == "warning" and (f.found, f.expected) == (17, 95)
    quotes = " ".join(c.quote for c in f.citations)
    assert "17 件" in quotes and "95 0 0 0 0 0 95" in quotes
    # the city report's prose figures (3119, 351, 46 = 26 + 20) all agree with its tables
    assert not [f for f in _report(store, "38_huaian-city_2024.txt").findings if f.check == "prose_vs_table"]


def test_empty_cells_are_reported_not_zeroed(store):
    rep = _report(store, "liaoning_fao_2020.txt")
    unparsed = [f for f in rep.findings if f.check == "unparsed"]
    assert len(unparsed) == 1 and "applications_carried_over" in unparsed[0].message
    assert not [f for f in rep.findings if f.severity == "error"]  # 一+二=三+四 skipped: 二 is empty


def test_prose_reports_get_no_template_checks(store):
    rep = _report(store, "mfa_2013.txt")
    assert rep.template == "prose" and rep.findings == []


def test_audit_all(store):
    result = audit(store)
    assert len(result.reports) == len(store.reports())
    assert result.count("error") == 2
