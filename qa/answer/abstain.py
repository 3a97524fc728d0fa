"""Abstaining: the reports do not say, no report is held, or the agency asked about is unclear.

An abstention never guesses: it says which reports were looked at (and the section where the
answer would be), which years are held, or which agencies the question could mean.
"""

from __future__ import annotations

from typing import Optional

from qa.answer.wording import metric_name
from qa.facts.common import vocabulary
from qa.store import Store
from qa.types import Answer, Citation, Fact, Query

MAX_LISTED = 12

def abstain_answer(query: Query, store: Store, unreadable: list[Fact] = ()) -> Answer:
    english = query.language in ("en", "mixed")
    name = metric_name(query.metric, english) if query.metric else ("that" if english else "该信息")
    report_ids = store.report_ids(query.agencies, query.years)
    cites: list[Citation] = []
    if not report_ids:
        who = "、".join(query.agencies) or ("any agency" if english else "任何机关")
        when = "/".join(map(str, query.years)) or ("any year" if english else "任何年度")
        held = _years_held(store, query.agencies, english)
        text = (f"No report of {who} for {when} has been ingested{held}, so I cannot say."
                if english else f"尚未收录{who}{when}年的报告{held}，无法回答。")
    else:
        kind = vocabulary()["metrics"].get(query.metric or "", {}).get("kind")
        for rid in report_ids[:MAX_LISTED]:
            cites += _section_pointer(store, rid, kind)
        text = (f"The report does not state {name}." if english else f"报告中没有说明{name}。")
        if cites:
            text += (" The section where it would be:" if english else "相关章节：") + " " + "；".join(
                f"[{i + 1}] {c.section}" for i, c in enumerate(cites))
    warnings = list(query.unsupported) + [f.note for f in unreadable if f.note]
    return Answer(question=query.question, text=text, mode="abstain", citations=cites, query=query,
                  warnings=warnings)


def which_agency_answer(query: Query, store: Store, held: dict[str, list[int]]) -> Answer:
    """The question names an agency no report belongs to, or one that fits several: answer for
    none, and name the agencies it could mean with the years held."""
    from qa.link import closest_agencies, describe_years

    english = query.language in ("en", "mixed")
    if query.agency_candidates:
        names = query.agency_candidates[:MAX_LISTED]
        mention = (query.agency_mentions or ["?"])[0]
        when = f" with a {query.years[0]} report" if english and query.years else (
            f"有{query.years[0]}年报告的" if query.years else "")
        text = (f"“{mention}” fits these agencies{when}; which one do you mean?"
                if english else f"“{mention}”可指以下{when}机关，请指明是哪一个：")
    else:
        names = closest_agencies(query.unknown_agency, held)
        text = (f"No report of {query.unknown_agency} has been ingested, so I cannot say."
                if english else f"尚未收录{query.unknown_agency}的报告，无法回答。")
        if names:
            text += " Closest agencies held:" if english else "已收录的相近机关："
    text += "\n" + "\n".join(f"  {describe_years(n, held)}" for n in names) if names else ""
    return Answer(question=query.question, text=text, mode="abstain", query=query,
                  warnings=list(query.unsupported))


def _years_held(store: Store, agencies: list[str], english: bool) -> str:
    """The years the store holds for the agencies asked about, e.g. "（已收录：外交部2012、2013年）"."""
    from qa.link import agency_years

    held = agency_years(store)
    years = {a: held[a] for a in agencies if held.get(a)}
    if not years:
        return ""
    if english:
        return " (reports held: " + "; ".join(f"{a}: {', '.join(map(str, ys))}" for a, ys in years.items()) + ")"
    return "（已收录：" + "；".join(f"{a}{'、'.join(map(str, ys))}年" for a, ys in years.items()) + "）"


def _section_pointer(store: Store, report_id: str, kind: Optional[str]) -> list[Citation]:
    info = store.report_info(report_id) or {}
    text = store.report_text(report_id)
    for section in store.sections_of(report_id):
        if kind and section.kind.value == kind and section.level <= 1:
            end = min(section.end, section.start + 120)
            return [Citation(report_id=report_id, path=info.get("path", ""), agency=info.get("agency"),
                             year=info.get("year"), section=section.path, quote=text[section.start:end].strip(),
                             start=section.start, end=end)]
    return []
