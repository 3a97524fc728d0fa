"""HTML and DOCX readers: real reports rebuilt as web pages / Word files give the same table facts.

The HTML pages are written here, from the reports' text, with the rowspan/colspan structure of
the official templates (2019: Liaoning 2020; 2021: Huaian 2024) — and the 2021 structure is
checked against the pipe rows of the blank template's text, so the pages are not invented. The
filled Word file is the official blank template, filled with python-docx.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from pathlib import Path

import pytest

from qa.facts.tables import APPLICATION_ROWS, extract_table_facts
from qa.read.docx import docx_text, format_number
from qa.read.html import declared_charset, html_text
from qa.sections import split_sections
from qa.types import Report

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "tests" / "expected" / "tables"
CORPUS = Path("/work/shared/corpus")
LIAONING = ROOT / "seeds" / "liaoning_fao_2020.txt"
HUAIAN = CORPUS / "text" / "38_huaian-city_2024.txt"
TEMPLATE_DOCX = CORPUS / "template" / "template_2021_revised.docx"
TEMPLATE_TXT = CORPUS / "template" / "template_2021_revised.txt"
SIX_HEADINGS = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]


def need(*paths: Path) -> None:
    for p in paths:
        if not p.exists():
            pytest.skip(f"{p} not available")


def report_of(text: str, path: str = "t.html") -> Report:
    return Report(id="t", path=path, text=text)


def fact_set(facts) -> set:
    return {(f.metric, f.scope, f.value) for f in facts}


def expected_facts(name: str) -> list[dict]:
    return json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))


def assert_same_facts(facts, name: str) -> None:
    expected = expected_facts(name)
    want = {(d["metric"], d["scope"], d["value"]) for d in expected}
    got = fact_set(facts)
    assert got == want, f"missing {sorted(want - got, key=str)[:8]} extra {sorted(got - want, key=str)[:8]}"
    assert len(facts) == len(expected)
    by_key = {(f.metric, f.scope): f for f in facts}
    for d in expected:
        f = by_key[(d["metric"], d["scope"])]
        assert (f.unit, f.status) == (d["unit"], d.get("status", "ok")), (d, f.unit, f.status, f.note)


# ---------------------------------------------------------------- building HTML tables

def cell(text: str, rows: int = 1, cols: int = 1) -> tuple[str, int, int]:
    return text, rows, cols


def html_table(rows: list[list]) -> str:
    """rows of cells; a cell is text or (text, rowspan, colspan); '\\n' in text becomes <br>."""
    out = ['<table border="1" cellspacing="0" class="MsoNormalTable">']
    for row in rows:
        out.append("<tr>")
        for c in row:
            text, rs, cs = c if isinstance(c, tuple) else (c, 1, 1)
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            body = "<br>".join(html.escape(part) for part in text.split("\n"))
            out.append(f'<td{attrs}><p class="MsoNormal" align="center"><span>{body}</span></p></td>')
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


APP_LABELS_2021 = [
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
    "（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
    "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他",
    "（七）总计", "四、结转下年度继续办理",
]
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def application_table(values: list[list[str]], template: str, label=lambda s: s) -> str:
    """The application table of the 2019 or 2021 template, with `values` (7 cells per row) filled in."""
    labels = APP_LABELS_2021 if template == "t2021" else APP_LABELS_2021[:20] + ["（六）其他处理"] + APP_LABELS_2021[23:]
    assert len(values) == len(labels)
    v = dict(zip(labels, values))
    split = "\n" if template == "t2021" else ""
    rows = [
        [cell(label(NOTE), 3, 3), cell("申请人情况", 1, 7)],
        [cell("自然人", 2, 1), cell("法人或其他组织", 1, 5), cell("总计", 2, 1)],
        [f"商业{split}企业", f"科研{split}机构", "社会公益组织", "法律服务机构", "其他"],
        [cell(label(labels[0]), 1, 3), *v[labels[0]]],
        [cell(label(labels[1]), 1, 3), *v[labels[1]]],
    ]
    results = labels[2:-1]
    groups = {"（三）不予公开": results[2:10], "（四）无法提供": results[10:13], "（五）不予处理": results[13:18]}
    if template == "t2021":
        groups["（六）其他处理"] = results[18:21]
    first = True
    for name in results:
        lead = [cell(label("三、本年度办理结果"), len(results), 1)] if first else []
        first = False
        group = next((g for g, members in groups.items() if name in members), None)
        if group is None:
            rows.append([*lead, cell(label(name), 1, 2), *v[name]])
        elif name == groups[group][0]:
            rows.append([*lead, cell(label(group), len(groups[group]), 1), label(name), *v[name]])
        else:
            rows.append([*lead, label(name), *v[name]])
    rows.append([cell(label(labels[-1]), 1, 3), *v[labels[-1]]])
    return html_table(rows)


def review_table(values: list[str]) -> str:
    kinds = ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]
    return html_table([
        [cell("行政复议", 1, 5), cell("行政诉讼", 1, 10)],
        [cell("结果维持", 2, 1), *[cell(k, 2, 1) for k in kinds[1:]],
         cell("未经复议直接起诉", 1, 5), cell("复议后起诉", 1, 5)],
        [*kinds, *kinds],
        list(values),
    ])


def art20_table_2021(v: dict[str, list[str]]) -> str:
    def head(item: str) -> list:
        return [cell(f"第二十条第（{item}）项", 1, 4)]

    return html_table([
        head("一"), ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", *v["规章"]], ["行政规范性文件", *v["行政规范性文件"]],
        head("五"), ["信息内容", cell("本年处理决定数量", 1, 3)], ["行政许可", cell(v["行政许可"][0], 1, 3)],
        head("六"), ["信息内容", cell("本年处理决定数量", 1, 3)],
        ["行政处罚", cell(v["行政处罚"][0], 1, 3)], ["行政强制", cell(v["行政强制"][0], 1, 3)],
        head("八"), ["信息内容", cell("本年收费金额（单位：万元）", 1, 3)],
        ["行政事业性收费", cell(v["行政事业性收费"][0], 1, 3)],
    ])


def art20_table_2019(v: dict[str, list[str]]) -> str:
    """The 2019 template's 第二十条 tables, headers as the Liaoning report prints them."""
    def head(item: str) -> list:
        return [cell(f"第二十条第({item})项", 1, 4)]

    items = ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"]
    return html_table([
        head("一"), ["信息内容", "本年新", "本年新", "对外公开总数量"],
        ["规章", *v["规章"]], ["规范性文件", *v["规范性文件"]],
        head("五"), items, ["行政许可", *v["行政许可"]], ["其他对外管理服务事项", *v["其他对外管理服务事项"]],
        head("六"), items, ["行政处罚", *v["行政处罚"]], ["行政强制", *v["行政强制"]],
        head("八"), ["信息内容", "上一年项目数量", cell("本年增/减", 1, 2)],
        ["行政事业性收费", v["行政事业性收费"][0], cell(v["行政事业性收费"][1], 1, 2)],
        head("九"), ["信息内容", "采购项目数量", cell("采购总金额", 1, 2)],
        ["政府集中采购", v["政府集中采购"][0], cell(v["政府集中采购"][1], 1, 2)],
    ])


FURNITURE_HEAD = """<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title} - 某某站点网</title>
<style>td {{ border: 1px solid #000; }}</style>
<script>var pager = "1 2 3 4 5 6 7"; document.write("<p>脚本</p>");</script>
</head>"""
FURNITURE_TOP = """<div class="header"><img src="logo.png">某某站点网</div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 年度报告</div>"""
FURNITURE_BOTTOM = """<div class="share">分享到：微信 微博</div>
<div id="footer">版权所有：某某站点网 电话：024 1 2 3 4 5 6 7 <p>辽ICP备05000001号</p></div>
<div style="display:none">隐藏 9 9 9 9 9 9 9</div>"""
FURNITURE_WORDS = ["首页", "当前位置", "分享到", "版权所有", "ICP", "隐藏", "脚本", "pager", "某某站点网"]


def page(title: str, body: list[str], charset: str = "utf-8") -> str:
    return (f"<!DOCTYPE html>\n<html>\n{FURNITURE_HEAD.format(charset=charset, title=html.escape(title))}\n<body>\n"
            f"{FURNITURE_TOP}\n<div class=\"article\">\n<h1>{html.escape(title)}</h1>\n" + "\n".join(body)
            + f"\n</div>\n{FURNITURE_BOTTOM}\n</body>\n</html>\n")


def paragraphs(lines: list[str]) -> list[str]:
    return [f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{html.escape(line)}</p>" for line in lines if line.strip()]


# ---------------------------------------------------------------- Liaoning 2020 (2019 template)

def liaoning_page(charset: str = "utf-8") -> str:
    text = LIAONING.read_text(encoding="utf-8")
    lines = text.split("\n")

    def values_after(label: str, n: int, start: int = 0) -> list[str]:
        """The n one-per-line cells ('0 |' or '|') after the line holding `label`."""
        i = next(k for k in range(start, len(lines)) if label in lines[k])
        cells = [re.fullmatch(r"\s*(\d*)\s*\|\s*", line) for line in lines[i + 1:i + 1 + n]]
        assert all(cells), (label, lines[i + 1:i + 1 + n])
        return [m.group(1) for m in cells]

    half = str.maketrans("（）：，", "():,")
    art20 = {row: values_after(row + " |", 3) for row in
             ["规章", "规范性文件", "行政许可", "其他对外管理服务事项", "行政处罚", "行政强制"]}
    art20 |= {row: values_after(row + " |", 2) for row in ["行政事业性收费", "政府集中采购"]}
    app_start = lines.index("三、收到和处理政府信息公开申请情况")
    labels = [s.translate(half) for s in APP_LABELS_2021[:20] + ["（六）其他处理"] + APP_LABELS_2021[23:]]
    app = [values_after(label, 7, app_start) for label in labels]
    review_start = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    review_end = lines.index("五、存在的主要问题及改进情况")
    review = [line.split()[0] for line in lines[review_start:review_end] if re.fullmatch(r"\d+ \|", line)]
    assert len(review) == 15

    title = lines[0]
    body = ["<div class=\"info\"><span>- 发布时间:2021年01月29日</span><br><span>- 编辑:外办管理员</span></div>"]
    body += paragraphs(lines[4:lines.index("二、主动公开政府信息情况") + 1])
    body.append(art20_table_2019(art20))
    body += paragraphs([lines[app_start]])
    body.append(application_table(app, "t2019", lambda s: s.translate(half)))
    body += paragraphs([lines[review_start]])
    body.append(review_table(review))
    body += paragraphs(lines[review_end:])
    return page(title, body, charset)


def test_liaoning_html_gives_the_facts_of_the_text_version():
    need(LIAONING)
    text = html_text(liaoning_page().encode("utf-8"), "liaoning.html")
    facts = extract_table_facts(report_of(text), [])
    assert_same_facts(facts, "liaoning_fao_2020")
    txt_facts = extract_table_facts(report_of(LIAONING.read_text(encoding="utf-8"), "l.txt"), [])
    assert fact_set(facts) == fact_set(txt_facts)
    for f in facts:  # citations point into the HTML-derived text
        assert f.quote == text[f.quote_start:f.quote_end]
        if f.value is not None:
            assert float(text[f.start:f.end]) == f.value


def test_liaoning_html_text_layout_and_furniture():
    need(LIAONING)
    text = html_text(liaoning_page().encode("utf-8"))
    lines = text.split("\n")
    assert lines[0] == "辽宁省人民政府外事办公室2020年度政府信息公开工作报告"
    for word in FURNITURE_WORDS:
        assert word not in text, word
    assert "一、总体情况" in lines  # &nbsp; indentation stripped, one paragraph per line
    assert "| 第二十条第(一)项 |" in lines  # colspan=4: written once
    assert "| 行政事业性收费 | 0 | 0 |" in lines  # a value cell spanning two columns is one value
    assert "| 三、本年度办理结果 | (三)不予公开 | 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |" in lines
    assert "| 二、上年结转政府信息公开申请数量 |  |  |  |  |  |  |  |" in lines
    sections = split_sections(report_of(text))
    assert [s.title for s in sections if s.level == 1] == SIX_HEADINGS


@pytest.mark.parametrize("charset,encoding", [("gb2312", "gb18030"), ("GBK", "gb18030"), ("gb18030", "gb18030")])
def test_gb18030_html_with_meta_charset(charset, encoding):
    need(LIAONING)
    utf8 = html_text(liaoning_page().encode("utf-8"))
    data = liaoning_page(charset).encode(encoding)
    assert declared_charset(data) == "gb18030"
    assert html_text(data, "gbk.html") == utf8


def test_meta_charset_forms_and_a_lying_declaration():
    body = "<p>二〇二〇年度政府信息公开工作年度报告，本年新收申请 5 件。</p>"
    for head in ['<meta charset="gbk">', "<meta charset=GB2312 />",
                 '<meta http-equiv="content-type" content="text/html;charset=gbk">']:
        data = f"<html><head>{head}</head><body>{body}</body></html>".encode("gb18030")
        assert html_text(data).strip() == "二〇二〇年度政府信息公开工作年度报告，本年新收申请 5 件。"
    # declared UTF-8, actually GBK (common on old sites): the bytes win
    data = f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode("gb18030")
    assert "政府信息公开工作年度报告" in html_text(data)
    # no declaration at all, GB18030 bytes
    assert "本年新收申请" in html_text(f"<html><body>{body * 5}</body></html>".encode("gb18030"))
    # an XML declaration (XHTML) with an encoding
    data = f'<?xml version="1.0" encoding="gb2312"?><html><body>{body}</body></html>'.encode("gb18030")
    assert "本年新收申请 5 件" in html_text(data)


def test_html_whitespace_breaks_and_layout_tables():
    data = """<html><body><table width="100%"><tr><td><table><tr><td>首页</td></tr></table>
    <div>一、总体
    情况</div><p>第一行<br/>第二行 with  English
    words</p>
    <table><tr><td>规章</td><td>1</td><td>0|2</td></tr></table>
    </td></tr></table></body></html>""".encode("utf-8")
    lines = html_text(data).split("\n")
    assert "一、总体情况" in lines  # a source line break between Chinese characters is no space
    assert "第一行" in lines and "第二行 with English words" in lines
    assert "| 规章 | 1 | 0｜2 |" in lines  # the data table nested in a layout table
    assert not any(line.startswith("|") and "总体" in line for line in lines)


def test_bad_html():
    with pytest.raises(ValueError, match="empty"):
        html_text(b"   ")
    with pytest.raises(ValueError, match="no text"):
        html_text(b"<html><head><title>x</title></head><body><script>1</script></body></html>", "x.html")
    with pytest.raises(ValueError):
        html_text(b"\x00\x01\x02PK\x03\x04" * 100, "bin.html")


# ---------------------------------------------------------------- Huaian 2024 (2021 template)

def huaian_values() -> tuple[dict[str, list[str]], list[list[str]], list[str]]:
    """The numbers of the Huaian 2024 report, read from its text in table order."""
    text = HUAIAN.read_text(encoding="utf-8")
    art20 = {}
    for label, n in [("规章", 3), ("行政规范性文件", 3), ("行政许可", 1), ("行政处罚", 1), ("行政强制", 1),
                     ("行政事业性收费", 1)]:
        m = re.search(rf"^{label}((?: [\d.]+){{{n}}})$", text, re.M)
        art20[label] = m.group(1).split()
    app_part = text[text.index("三、收到和处理政府信息公开申请情况"):text.index("四、政府信息公开行政复议")]
    app = [line.split()[-7:] for line in app_part.split("\n") if re.search(r"(?:^|\D )(?:\d+ ){6}\d+$", line)]
    review = next(line.split() for line in text.split("\n") if re.fullmatch(r"(?:\d+ ){14}\d+", line))
    assert len(app) == 25 and len(review) == 15
    return art20, app, review


def huaian_page() -> str:
    lines = [line for line in HUAIAN.read_text(encoding="utf-8").split("\n") if not re.fullmatch(r"- \d+ -", line)]
    art20, app, review = huaian_values()
    title = lines[0] + lines[1]
    i2 = lines.index("二、主动公开政府信息情况")
    i3 = lines.index("三、收到和处理政府信息公开申请情况")
    i4 = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    i5 = lines.index("五、存在的主要问题及改进情况")
    body = paragraphs(lines[2:i2 + 1])
    body.append(art20_table_2021(art20))
    body += paragraphs([lines[i3]])
    body.append(application_table(app, "t2021"))
    body += paragraphs([lines[i4]])
    body.append(review_table(review))
    body += paragraphs(lines[i5:])
    return page(title, body)


def test_huaian_html_gives_the_facts_of_the_text_version():
    need(HUAIAN)
    text = html_text(huaian_page().encode("utf-8"), "huaian.html")
    facts = extract_table_facts(report_of(text), [])
    assert_same_facts(facts, "38_huaian-city_2024")
    txt_facts = extract_table_facts(report_of(HUAIAN.read_text(encoding="utf-8"), "h.txt"), [])
    assert fact_set(facts) == fact_set(txt_facts)
    assert [s.title for s in split_sections(report_of(text)) if s.level == 1] == SIX_HEADINGS


def test_html_tables_have_the_official_template_structure():
    """The blank 2021 tables built here render to exactly the pipe rows of the template's text."""
    need(TEMPLATE_TXT)
    blank = art20_table_2021({k: ["", "", ""] for k in ["规章", "行政规范性文件"]}
                             | {k: [""] for k in ["行政许可", "行政处罚", "行政强制", "行政事业性收费"]})
    blank += application_table([[""] * 7] * 25, "t2021") + review_table([""] * 15)
    got = [line for line in html_text(f"<html><body>{blank}</body></html>".encode()).split("\n") if line.startswith("|")]
    want = [line for line in TEMPLATE_TXT.read_text(encoding="utf-8").split("\n") if line.startswith("|")]
    assert got == want


# ---------------------------------------------------------------- DOCX

def test_blank_template_docx_has_no_facts_and_the_six_sections():
    need(TEMPLATE_DOCX)
    text = docx_text(TEMPLATE_DOCX)
    report = report_of(text, str(TEMPLATE_DOCX))
    assert [s.title for s in split_sections(report) if s.level == 1] == SIX_HEADINGS
    facts = extract_table_facts(report, [])
    assert all(f.value is None for f in facts)
    # tables sit between the paragraphs around them
    order = [text.index(s) for s in ["二、主动公开政府信息情况", "| 第二十条第（一）项 |", "三、收到和处理",
                                     "| 一、本年新收", "四、政府信息公开行政复议", "| 行政复议 | 行政诉讼 |",
                                     "五、存在的主要问题"]]
    assert order == sorted(order)


def test_template_docx_reads_like_the_template_text():
    need(TEMPLATE_DOCX, TEMPLATE_TXT)
    got = [line for line in docx_text(TEMPLATE_DOCX).split("\n") if line.strip()]
    want = [line for line in TEMPLATE_TXT.read_text(encoding="utf-8").split("\n") if line.strip()]
    assert got == want


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def test_filled_template_docx_gives_the_huaian_facts(tmp_path):
    need(TEMPLATE_DOCX)
    import docx

    expected = expected_facts("38_huaian-city_2024")
    value = {(d["metric"], d["scope"]): _fmt(d["value"]) for d in expected}
    doc = docx.Document(str(TEMPLATE_DOCX))
    art20, app, review = doc.tables

    art20_rows = {"规章": ("regulations", ["issued", "repealed", "in_force"]),
                  "行政规范性文件": ("normative_documents", ["issued", "repealed", "in_force"]),
                  "行政许可": ("admin_licensing", ["decisions"]), "行政处罚": ("admin_penalty", ["decisions"]),
                  "行政强制": ("admin_enforcement", ["decisions"]), "行政事业性收费": ("admin_fees", ["amount"])}
    for row in art20.rows:
        label = row.cells[0].text.strip()
        if label in art20_rows:
            metric, scopes = art20_rows[label]
            cells = list(dict.fromkeys(row.cells[1:]))  # merged grid columns are one cell
            assert len(cells) == len(scopes)
            for c, scope in zip(cells, scopes):
                c.text = value[(metric, scope)]

    metrics = [m for m, _ in APPLICATION_ROWS if m != "other_processing"]
    scopes = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other", "total"]
    for row, metric in zip(app.rows[3:], metrics, strict=True):
        for c, scope in zip(row.cells[3:], scopes, strict=True):
            c.text = value[(metric, scope)]
    review_metrics = [d["metric"] for d in expected if d["scope"] == ""]
    assert len(review_metrics) == 15
    for c, metric in zip(review.rows[3].cells, review_metrics, strict=True):
        c.text = value[(metric, "")]

    path = tmp_path / "huaian_2024.docx"
    doc.save(str(path))
    text = docx_text(path)
    facts = extract_table_facts(report_of(text, str(path)), [])
    assert_same_facts(facts, "38_huaian-city_2024")
    assert "| 行政许可 | 447228 |" in text.split("\n")
    assert "| 三、本年度办理结果 | （六）其他处理 | 3.其他 | 108 | 2 | 0 | 0 | 0 | 0 | 110 |" in text.split("\n")


def test_docx_numbering_is_written_out(tmp_path):
    import docx

    doc = docx.Document()
    doc.add_paragraph("政府信息公开工作年度报告")
    doc.add_paragraph("总体情况", style="List Number")
    doc.add_paragraph("主动公开政府信息情况", style="List Number")
    table = doc.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "三、本年度办理结果"
    table.cell(0, 1).text, table.cell(0, 2).text = "（一）予以公开", "4"
    table.cell(1, 1).text, table.cell(1, 2).text = "（二）部分公开", "1"
    doc.add_paragraph("结尾")
    path = tmp_path / "n.docx"
    doc.save(str(path))
    lines = [line for line in docx_text(path).split("\n") if line]
    assert lines == ["政府信息公开工作年度报告", "1.总体情况", "2.主动公开政府信息情况",
                     "| 三、本年度办理结果 | （一）予以公开 | 4 |", "| 三、本年度办理结果 | （二）部分公开 | 1 |", "结尾"]
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]


def test_bad_docx(tmp_path):
    not_zip = tmp_path / "a.docx"
    not_zip.write_text("这不是 Word 文件", encoding="utf-8")
    with pytest.raises(ValueError, match="not a .docx file"):
        docx_text(not_zip)
    old_doc = tmp_path / "b.docx"
    old_doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(ValueError, match="old binary Word .doc"):
        docx_text(old_doc)
    other_zip = tmp_path / "c.docx"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ValueError, match="not a Word document"):
        docx_text(other_zip)
    truncated = tmp_path / "d.docx"
    if TEMPLATE_DOCX.exists():
        truncated.write_bytes(TEMPLATE_DOCX.read_bytes()[:3000])
        with pytest.raises(ValueError):
            docx_text(truncated)
    with pytest.raises(ValueError, match="no such file"):
        docx_text(tmp_path / "missing.docx")


def test_readers_import_decoding_from_qa_read_text_never_from_report():
    """One direction only: report.py picks a reader; html/pdf/docx take decode, ReadError and the
    limits from qa.read.text, so qa.read.report and the readers never import each other in a cycle."""
    import ast

    for name in ("html", "pdf", "docx", "docx_numbering", "text"):
        tree = ast.parse((ROOT / "qa" / "read" / f"{name}.py").read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "qa.read.report" not in imported and "qa.read" not in imported, name
    from qa.read import ReadError, decode
    from qa.read.report import ReadError as ReportReadError, decode as report_decode, text_too_long
    from qa.read.text import ReadError as TextReadError, decode as text_decode

    assert ReadError is ReportReadError is TextReadError and decode is report_decode is text_decode
    assert isinstance(text_too_long("x.pdf", 10), ReadError)
