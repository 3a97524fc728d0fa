"""Expected facts written from reading the reports (not from tool output): a compact spec → JSON."""
import json, sys
from pathlib import Path

OUT = Path(sys.argv[1])
S7 = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other", "total"]
APP19 = ["applications_received", "applications_carried_over", "result_public", "result_partial",
         "withheld_state_secret", "withheld_law", "withheld_security", "withheld_third_party", "withheld_internal",
         "withheld_process", "withheld_enforcement", "withheld_query", "unavailable_not_held",
         "unavailable_needs_creation", "unavailable_unclear", "unprocessed_petition", "unprocessed_repeat",
         "unprocessed_publication", "unprocessed_mass", "unprocessed_confirm", "other_processing",
         "results_total", "carried_forward"]
APP21 = [m for m in APP19 if m != "other_processing"]
APP21 = APP21[:20] + ["other_no_correction", "other_no_fee", "other_other"] + APP21[20:]
REVIEW = ["review_upheld", "review_corrected", "review_other", "review_pending", "review_total",
          "litigation_direct_upheld", "litigation_direct_corrected", "litigation_direct_other",
          "litigation_direct_pending", "litigation_direct_total",
          "litigation_after_review_upheld", "litigation_after_review_corrected", "litigation_after_review_other",
          "litigation_after_review_pending", "litigation_after_review_total"]
U = None  # an unparsed cell


def fact(metric, scope, value, unit, status="ok"):
    if value is None:
        status = "unparsed"
    return {"metric": metric, "scope": scope, "value": value, "unit": unit, "status": status}


def art20(rows):
    """rows: [(metric, [(scope, value, unit), ...])]"""
    return [fact(m, s, v, u) for m, cells in rows for s, v, u in cells]


def apps(rows, values, inconsistent=()):
    out = []
    for m in rows:
        vals = values.get(m, [0] * 7)
        for s, v in zip(S7, vals):
            out.append(fact(m, s, v, "件", "inconsistent" if (m, s) in inconsistent else "ok"))
    return out


def review(values=None):
    return [fact(m, "", v, "件") for m, v in zip(REVIEW, values or [0] * 15)]


def c21(i, r, f):  # 2021 第二十条（一） columns
    return [("issued", i, "件"), ("repealed", r, "件"), ("in_force", f, "件")]


def c19a(a, b, c):  # 2019 第二十条（一）
    return [("new_made", a, "件"), ("new_published", b, "件"), ("total_published", c, "件")]


def c19b(a, b, c):  # 2019 第二十条（五）（六）
    return [("prev_items", a, "项"), ("change", b, "项"), ("decisions", c, "件")]


def dec(v):
    return [("decisions", v, "件")]


def stats(rows, two):
    out = []
    for m, unit, vals, *status in rows:
        scopes = ["", "cumulative"] if two else [""]
        for s, v in zip(scopes, vals):
            st = status[0] if status and (status[0] == "inconsistent") else "ok"
            out.append(fact(m, s, v, unit, st))
    return out


SPECS = {}
# czj_2021: 规章000 行政规范性文件303 | 行政许可0 | 行政处罚0 行政强制0 | 行政事业性收费7816 (万元); every application cell 0
SPECS["czj_2021_80600"] = (art20([("regulations", c21(0, 0, 0)), ("normative_documents", c21(3, 0, 3)),
                                  ("admin_licensing", dec(0)), ("admin_penalty", dec(0)), ("admin_enforcement", dec(0)),
                                  ("admin_fees", [("amount", 7816, "万元")])])
                           + apps(APP21, {}) + review())
# czj_2019: 规章000 规范性文件1077 (10,7,7 or 1,0,77) | 行政许可300 其他对外管理服务事项000 | 行政处罚3500 (35,0,0 or 3,50,0)
# 行政强制000 | 行政事业性收费00 | 政府集中采购2832995元 (many splits); every application cell 0
SPECS["czj_2019_80560"] = (art20([("regulations", c19a(0, 0, 0)), ("normative_documents", c19a(U, U, U)),
                                  ("admin_licensing", c19b(3, 0, 0)), ("other_admin_services", c19b(0, 0, 0)),
                                  ("admin_penalty", c19b(U, U, U)), ("admin_enforcement", c19b(0, 0, 0)),
                                  ("admin_fees", [("prev_items", 0, "项"), ("change", 0, "项")]),
                                  ("central_procurement", [("items", U, "个"), ("amount", U, "")])])
                           + apps(APP19, {}) + review())
# gwh_2019: 规范性文件222233 ambiguous; 行政许可0+11 → 0,+1,1; 采购215419886元 ambiguous.
# 本年新收120000012 → 12…12; 予以公开4000004; 部分公开1000001; 仍不明确3 0 0 0 0 03; 重复申请2 0 0 0 0 02;
# 其他处理2 0 0 0 0 02; 总计12 0 0 0 0 0 12 (4+1+3+2+2 = 12)
SPECS["gwh_2019_80577"] = (art20([("regulations", c19a(0, 0, 0)), ("normative_documents", c19a(U, U, U)),
                                  ("admin_licensing", c19b(0, 1, 1)), ("other_admin_services", c19b(0, 0, 0)),
                                  ("admin_penalty", c19b(0, 0, 0)), ("admin_enforcement", c19b(0, 0, 0)),
                                  ("admin_fees", [("prev_items", 0, "项"), ("change", 0, "项")]),
                                  ("central_procurement", [("items", U, "个"), ("amount", U, "")])])
                           + apps(APP19, {"applications_received": [12, 0, 0, 0, 0, 0, 12],
                                          "result_public": [4, 0, 0, 0, 0, 0, 4], "result_partial": [1, 0, 0, 0, 0, 0, 1],
                                          "unavailable_unclear": [3, 0, 0, 0, 0, 0, 3],
                                          "unprocessed_repeat": [2, 0, 0, 0, 0, 0, 2],
                                          "other_processing": [2, 0, 0, 0, 0, 0, 2],
                                          "results_total": [12, 0, 0, 0, 0, 0, 12]})
                           + review())
# shs_2021: section 二 in the 2019 layout: 行政规范性文件121223, 行政许可89741888, 行政处罚7400 ambiguous;
# the application table in the 2021 layout (其他 without its 3.), all 0
SPECS["shs_2021_80606"] = (art20([("regulations", c19a(0, 0, 0)), ("normative_documents", c19a(U, U, U)),
                                  ("admin_licensing", c19b(U, U, U)), ("admin_penalty", c19b(U, U, U)),
                                  ("admin_enforcement", c19b(0, 0, 0)),
                                  ("admin_fees", [("prev_items", 0, "项"), ("change", 0, "项")])])
                           + apps(APP21, {}) + review())
# jjf_2023: 行政规范性文件606; 本年新收3000003 but every result row, 总计 and 结转 0: 一+二 ≠ 三+四
inc = {(m, s) for m in ("applications_received", "applications_carried_over", "results_total", "carried_forward")
       for s in ("natural_person", "total")}
SPECS["jjf_2023_86656"] = (art20([("regulations", c21(0, 0, 0)), ("normative_documents", c21(6, 0, 6)),
                                  ("admin_licensing", dec(0)), ("admin_penalty", dec(0)), ("admin_enforcement", dec(0)),
                                  ("admin_fees", [("amount", 0, "万元")])])
                           + apps(APP21, {"applications_received": [3, 0, 0, 0, 0, 0, 3]}, inc) + review())
# scj_2025: no 规章 row; 规范性文件1173 ambiguous; 行政处罚187 行政强制42 收费0 (then "2025年…");
# 本年新收210000021; 予以公开1000001; 部分公开110000011 (11 by the 自然人 column: 19 = 1+x+3+2+2);
# 执法案件3000003; 不补正2000002; 收费2000002; 总计190000019; 结转2000002 (then "2025年");
# review 10000100000000000: 10,0,0,0,10 then ten 0 (the only split keeping the three totals)
SPECS["scj_2025_104786"] = (art20([("normative_documents", c21(U, U, U)), ("admin_licensing", dec(0)),
                                   ("admin_penalty", dec(187)), ("admin_enforcement", dec(42)),
                                   ("admin_fees", [("amount", 0, "万元")])])
                            + apps(APP21, {"applications_received": [21, 0, 0, 0, 0, 0, 21],
                                           "result_public": [1, 0, 0, 0, 0, 0, 1],
                                           "result_partial": [11, 0, 0, 0, 0, 0, 11],
                                           "withheld_enforcement": [3, 0, 0, 0, 0, 0, 3],
                                           "other_no_correction": [2, 0, 0, 0, 0, 0, 2],
                                           "other_no_fee": [2, 0, 0, 0, 0, 0, 2],
                                           "results_total": [19, 0, 0, 0, 0, 0, 19],
                                           "carried_forward": [2, 0, 0, 0, 0, 0, 2]})
                            + review([10, 0, 0, 0, 10] + [0] * 10))
# statistics tables of older reports
I = "inconsistent"
SPECS["jjf_2018_80541"] = stats([
    ("proactive_disclosures", "条", [94, 765]), ("proactive_website", "条", [94, 765]),
    ("proactive_gazette", "条", [0, 0]), ("applications_received", "条", [0, 2]),
    ("applications_in_person", "条", [0, 0]), ("applications_online", "条", [0, 1]),
    ("applications_letter_fax", "条", [0, 1]), ("results_total", "条", [0, 1]), ("result_public", "条", [0, 1]),
    ("result_partial", "条", [0, 0]), ("withheld_total", "条", [0, 0]), ("result_other", "条", [0, 1]),
    ("complaints", "条", [0, 0]), ("review_total", "条", [0, 0]), ("litigation_total", "条", [0, 0])], True)
# 历年累计 replies 1, but its parts 同意公开 1 + 其他类型 1 = 2
for f in SPECS["jjf_2018_80541"]:
    if f["scope"] == "cumulative" and f["metric"] in ("results_total", "result_public", "result_partial",
                                                      "withheld_total", "result_other"):
        f["status"] = I
SPECS["czj_2012_80737"] = stats([
    ("proactive_disclosures", "条", [U, U]), ("proactive_website", "条", [U, U]), ("proactive_gazette", "条", [0, 0]),
    ("applications_received", "条", [0, 0]), ("applications_in_person", "条", [0, 0]), ("applications_fax", "条", [0, 0]),
    ("applications_email", "条", [0, 0]), ("applications_online", "条", [0, 0]), ("applications_letter", "条", [0, 0]),
    ("results_total", "条", [0, 0]), ("result_public", "条", [0, 0]), ("result_partial", "条", [0, 0]),
    ("withheld_total", "条", [0, 0]), ("review_total", "件", [0, 0]), ("litigation_total", "件", [0, 0]),
    ("complaints", "件", [0, 0])], True)
SPECS["scj_2013_80762"] = stats([
    ("proactive_disclosures", "条", [12]), ("proactive_website", "条", [12]), ("proactive_gazette", "条", [0]),
    ("applications_received", "条", [0]), ("applications_in_person", "条", [0]), ("applications_fax", "条", [0]),
    ("applications_email", "条", [0]), ("applications_online", "条", [0]), ("applications_letter", "条", [0]),
    ("applications_other_channel", "条", [0]), ("results_total", "条", [0]), ("result_public", "条", [0]),
    ("result_partial", "条", [0]), ("withheld_total", "条", [0]), ("review_total", "条", [0]),
    ("litigation_total", "条", [0]), ("complaints", "条", [0])], False)
# shs_2013: 受理…总数 0 0 but 当面申请 3 0 and 网上申请 3 3 (this year above the running total, too)
SPECS["shs_2013_80780"] = stats([
    ("proactive_disclosures", "条", [33, 83]), ("proactive_website", "条", [23, 56]), ("proactive_gazette", "条", [0, 0]),
    ("applications_received", "条", [0, 0], I), ("applications_in_person", "条", [3, 0], I),
    ("applications_fax", "条", [0, 0], I), ("applications_email", "条", [0, 0], I),
    ("applications_online", "条", [3, 3], I), ("applications_letter", "条", [0, 0], I),
    ("results_total", "条", [0, 0]), ("result_public", "条", [0, 0]), ("result_partial", "条", [0, 0]),
    ("withheld_total", "条", [0, 0]), ("review_total", "件", [0, 0]), ("litigation_total", "件", [0, 0]),
    ("complaints", "件", [0, 0])], True)

for name, facts in SPECS.items():
    lines = ",\n".join("  " + json.dumps(f, ensure_ascii=False) for f in facts)
    (OUT / f"{name}.json").write_text("[\n" + lines + "\n]\n", encoding="utf-8")
    print(name, len(facts))
