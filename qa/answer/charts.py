"""Trend tables, terminal bar charts (rich) and PNG charts (matplotlib, Agg) of one metric.

All values come from `qa.answer.analysis.trend`: a report that does not state the metric is drawn as
"not stated", never as a zero bar. The PNG's title always names the metric (id and English
name); under the chart, source notes list each plotted value's report id and file. When no
CJK font is installed (`fc-list :lang=zh` empty), labels use the agencies' English names from
qa/data/agencies.toml (or the report file name), so nothing renders as empty boxes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from qa.answer.analysis import Analysis, AnalysisRow
from qa.answer.wording import number_text as num
from qa.store import Store

BAR = "█"
SMALL_WORDS = {"of", "and", "the", "for"}
UNIT_EN = {"件": "cases", "份": "requests", "条": "items", "场": "events", "人次": "visits", "万元": "10k yuan",
           "元": "yuan", "个": "items", "期": "issues", "人": "persons", "项": "items", "起": "cases"}
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "Droid Sans Fallback", "AR PL UMing CN", "Noto Serif CJK SC")


def trend_analysis(store: Store, metric: str, agency: Optional[str] = None, scope: Optional[str] = None) -> Analysis:
    from qa.answer.analysis import trend

    return trend(store, metric, agency, (), scope)


def _value(row: AnalysisRow) -> str:
    if row.value is None:
        return {"missing": "not stated", "unreadable": "unreadable", "no_report": "no report"}.get(row.status, "—")
    prefix = {"at_least": "≥", "approx": "~", "nearly": "~", "incomplete": "≥"}.get(row.qualifier.value, "")
    return f"{prefix}{num(row.value)}"


def trend_table(analysis: Analysis):
    """A rich Table: agency, year, value, unit, status, where it is stated, and a bar."""
    from rich.table import Table
    from rich.markup import escape

    from qa.answer.wording import metric_name

    top = max((r.value for r in analysis.stated), default=0) or 1
    table = Table(title=f"{analysis.metric} — {metric_name(analysis.metric, True)}", show_lines=False)
    for col in ("agency", "year", "value", "unit", "status", "source", "chart"):
        table.add_column(col, justify="right" if col == "value" else "left")
    for r in analysis.rows:
        bar = BAR * max(1, round(r.value / top * 30)) if r.value else ("" if r.value == 0 else "·")
        where = r.path.rsplit("/", 1)[-1] if r.path else ""
        status = r.status + (" ⚠" if r.conflicts or (r.facts and r.facts[0].status == "inconsistent") else "")
        table.add_row(escape(r.agency), str(r.year or "?"), _value(r), r.unit, status, escape(where), bar)
    return table


def terminal_chart(analysis: Analysis, width: int = 40) -> list[str]:
    """Plain unicode bar lines (no colour), one per report; missing values say so."""
    rows = analysis.rows
    top = max((r.value for r in analysis.stated), default=0) or 1
    from rich.cells import cell_len

    label_w = max((cell_len(_label(r, cjk=True)) for r in rows), default=0)
    out = []
    for r in rows:
        label = _label(r, cjk=True)
        label += " " * (label_w - cell_len(label))
        if r.value is None:
            out.append(f"{label} │ ({_value(r)})")
        else:
            n = round(r.value / top * width)
            out.append(f"{label} │{BAR * n}{'▏' if n == 0 else ''} {_value(r)}{r.unit}")
    return out


def print_trend(console, analysis: Analysis) -> None:
    from rich.markup import escape

    console.print(trend_table(analysis))
    for line in terminal_chart(analysis):
        console.print(line, markup=False, highlight=False)
    for w in dict.fromkeys(analysis.warnings):
        console.print(f"[yellow]warning:[/yellow] {escape(w)}", highlight=False)


def cjk_font() -> Optional[str]:
    """Name of an installed font with CJK glyphs, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            return name
    return None


def _label(r: AnalysisRow, cjk: bool) -> str:
    if cjk:
        return f"{r.agency} {r.year or '?'}"
    from qa.meta import known_agencies

    en = known_agencies().get(r.agency, {}).get("en", [])
    name = " ".join(w if w in SMALL_WORDS else w[:1].upper() + w[1:] for w in en[0].split()) if en else (
        Path(r.path).stem if r.path else "agency")
    return f"{name} {r.year or '?'}"


def chart_title(analysis: Analysis) -> str:
    from qa.answer.wording import metric_name

    title = f"{analysis.metric} ({metric_name(analysis.metric, True)})"
    if analysis.scope:
        title += f" [{analysis.scope}]"
    agencies = sorted({r.agency for r in analysis.rows})
    if len(agencies) == 1:
        cjk = cjk_font() is not None
        title += " — " + _label(analysis.rows[0], cjk).rsplit(" ", 1)[0]
    return title


def trend_png(analysis: Analysis, path: Path) -> str:
    """Write a bar chart PNG; returns its title (also stored in the PNG's Title metadata)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    if font:
        plt.rcParams["font.sans-serif"] = [font, "DejaVu Sans"]
    title = chart_title(analysis)
    rows = analysis.rows
    labels = [_label(r, cjk=font is not None) for r in rows]
    values = [r.value or 0 for r in rows]
    def unit(u: str) -> str:
        return u if font or u.isascii() else UNIT_EN.get(u, "")

    notes = [f"[{i + 1}] {_label(r, cjk=font is not None)}: "
             + (f"{_value(r)} {unit(r.unit)} ({r.status}) — report {r.report_id}, {r.path}" if r.value is not None
                else f"{_value(r)} — report {r.report_id or '-'}, {r.path or '-'}")
             for i, r in enumerate(rows)]
    height = 3.2 + 0.12 * len(notes) + 0.3 * len(rows)
    fig, ax = plt.subplots(figsize=(10, height))
    colors = ["#4c72b0" if r.value is not None else "#dddddd" for r in rows]
    bars = ax.barh(range(len(rows)), values, color=colors)
    ax.set_yticks(range(len(rows)), labels=[f"[{i + 1}] {lab}" for i, lab in enumerate(labels)])
    ax.invert_yaxis()
    for bar, r in zip(bars, rows):
        text = _value(r) if r.value is not None else "not stated (not 0)" if r.status == "missing" else _value(r)
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {text}", va="center", fontsize=8)
    units = sorted({unit(r.unit) for r in analysis.stated} - {""})
    ax.set_xlabel(f"value ({' / '.join(units)})" if units else "value")
    ax.set_title(title)
    fig.text(0.01, 0.01, "Sources:\n" + "\n".join(notes), fontsize=6.5, va="bottom", ha="left", family="monospace")
    bottom = min(0.8, (0.12 * (len(notes) + 1) + 0.75) / height)
    fig.subplots_adjust(left=0.32, right=0.95, top=1 - 0.6 / height, bottom=bottom)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=110, metadata={"Title": title, "Description": "; ".join(notes)})
    plt.close(fig)
    return title
