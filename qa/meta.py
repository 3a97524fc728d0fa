"""Report metadata: boilerplate spans, title, agency, reported year, template, script, level."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Optional

from qa.normalize import is_traditional, matching_view
from qa.spans import covers
from qa.types import Report, Template

AGENCIES_FILE = Path(__file__).parent / "data" / "agencies.toml"

# Whole lines that are web-page furniture, not report text (matched on the matching view).
BOILERPLATE_LINE = re.compile(
    r"^\s*(?:"
    r"登录\s*\|\s*注册"
    r"|.*www\.gov\.cn.*来源[::].*"
    r"|【字体.*|.*打印本页.*|.*关闭窗口.*|.*分享到.*"
    r"|责任编辑[::].*|版权所有.*|.*ICP备.*|中文域名[::].*|中国政府网|微博、微信"
    r"|发布日期[::].*点击数.*"
    r"|-?\s*(?:发布时间|发布机构|编辑|来源)[::].*"
    r"|相关词条|热门词条|联络我们|联系我们|基本介绍"
    r"|[•·]\s*(?:中文名|时间|地区|类型)\s*[::].*"
    r"|-\s*\d{1,3}\s*-"  # PDF page footer "- 3 -"
    r")\s*$"
)
TITLE_WORDS = re.compile(r"(?:政府信息公开|信息公开).{0,6}(?:年度)?(?:工作)?(?:年度)?报告")
YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年")
PERIOD = re.compile(r"统计(?:期限|时限|期间)[^。\n]{0,8}?((?:19|20)\d{2})\s*年")
ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*年")
AGENCY_SUFFIX = re.compile(r"(?:人民政府|政府|办公室|委员会|部|厅|局|署|院|会|办|中心)$")


@lru_cache(maxsize=1)
def known_agencies() -> dict[str, dict]:
    from qa.facts.common import load_data_file

    return load_data_file(AGENCIES_FILE)["agencies"]


def canonical_agency(name: str) -> str:
    """The canonical form of an agency name (aliases folded), simplified script."""
    name = matching_view(name).strip()
    for canonical, info in known_agencies().items():
        if name == canonical or name in info.get("aliases", []):
            return canonical
    return name


# Furniture inside a line: a web page's breadcrumb and share buttons run together with the body
# ("当前位置： 首页… 来源：… 时间：… --> 微信 微博 QQ空间 全真版 文字版 文件下载 相关链接："), Word's
# conditional comments (<!--[if !supportLists]-->), and the closing "附件下载" link.
INLINE_BOILERPLATE = re.compile(
    r"当前位置[:：][^\n]{0,300}?(?:-->|相关链接[:：])"
    r"(?:[ \t\u3000]*(?:微信|微博|QQ空间|全真版|文字版|文件下载|相关链接[:：]))*"
    r"|<!--[^\n]{0,200}?-->"
    r"|附件下载[ \t\u3000]*$",
    re.M,
)

# Web furniture lines are short (the longest in the corpus: 111 characters). A longer line that
# mentions 打印本页 or 来源: is content — a report pasted as one line was all "boilerplate" before.
MAX_BOILERPLATE_LINE = 300
MAX_TITLE = 100


def boilerplate_spans(text: str, view: str) -> list[tuple[int, int]]:
    spans = []
    offset = 0
    for line in view.split("\n"):
        end = offset + len(line)
        if line.strip() and len(line) <= MAX_BOILERPLATE_LINE and (BOILERPLATE_LINE.match(line) or _is_toc_line(line)):
            spans.append((offset, min(end + 1, len(text))))
        offset = end + 1
    spans += [(m.start(), m.end()) for m in INLINE_BOILERPLATE.finditer(view)
              if not any(s <= m.start() and m.end() <= e for s, e in spans)]
    return sorted(spans)


def _is_toc_line(line: str) -> bool:
    """A comma-separated list of headings (encyclopedia-style table of contents)."""
    items = [i for i in re.split(r"[,，]", line.strip()) if i]
    return (
        len(items) >= 5
        and "。" not in line
        and not re.search(r"\d", line)
        and all(len(i) <= 20 for i in items)
    )


def _lines(view: str, skip: list[tuple[int, int]]) -> list[tuple[int, str]]:
    out, offset = [], 0
    for line in view.split("\n"):
        if line.strip() and not covers(skip, offset):
            out.append((offset, line.strip()))
        offset += len(line) + 1
    return out


def find_title(lines: list[tuple[int, str]]) -> tuple[int, str]:
    for i, (offset, line) in enumerate(lines[:12]):
        if TITLE_WORDS.search(line) and len(line) <= 60:
            return i, line
    # no title line: the first line stands in, cut short — it names every chunk's section, and a
    # report pasted as one line made each of its chunks carry the whole text (quadratic ingest)
    return 0, lines[0][1][:MAX_TITLE] if lines else ""


def agency_from_title(lines: list[tuple[int, str]], index: int, title: str) -> Optional[str]:
    m = YEAR_IN_TITLE.search(title)
    before = title[: m.start()] if m else ""
    after = title[m.end() :] if m else title
    # a cover letter's title quotes the report: 关于报送《X2015年政府信息公开年度报告》的函
    candidate = re.sub(r"(?:发布|关于)$", "", before.strip())
    candidate = re.sub(r"^.*?[《〈“\"]", "", candidate) if re.search(r"^关于[^《〈“\"]{0,6}[《〈“\"]", candidate) else candidate
    if not candidate:  # "2013年四川省…外事办公室政府信息公开工作年度报告"
        cut = re.search(r"(?:度)?(?:政府)?信息公开", after)
        candidate = after[: cut.start()] if cut else ""
        candidate = re.sub(r"^度", "", candidate)
    if not candidate and index > 0:  # agency on the line above the title (PDF layouts)
        candidate = lines[index - 1][1]
    candidate = candidate.strip(" :-")
    if candidate and AGENCY_SUFFIX.search(candidate):
        return candidate
    return None


# Where a report names its own agency in full, besides the title: the 发布机构 line of a web
# page, the breadcrumb's 来源, and the signature before the closing date.
PLACE = re.compile(r"[省市县区州旗盟]")
NAME_SOURCES = [
    re.compile(r"^[ \t]*发布机构[:：][ \t]*([^\s\d]{2,30})[ \t]*$", re.M),
    re.compile(r"来源[:：][ \t]*([^\s\d:：]{2,30}?)[ \t]*时间"),
    re.compile(r"([\u4e00-\u9fff()（）]{2,30})[ \t\u3000]*(?:\d{4}|[〇○零一二三四五六七八九]{4})[ \t]*年"
               r"[ \t]*[\d一二三四五六七八九十元]{1,3}[ \t]*月[ \t]*[\d一二三四五六七八九十]{1,3}[ \t]*日"),
]


def _in_order(short: str, name: str) -> bool:
    """The characters of `short` appear in `name` in order (财金局 in 平潭综合实验区财政金融局)."""
    it = iter(name)
    return all(ch in it for ch in short)


def named_agencies(view: str) -> list[str]:
    """Agency names the report gives outside its title, in the order of NAME_SOURCES."""
    names = []
    for rx in NAME_SOURCES:
        for m in rx.finditer(view):
            name = m.group(1).strip()
            if AGENCY_SUFFIX.search(name) and name not in names:
                names.append(name)
    return names


def full_agency(agency: Optional[str], view: str) -> Optional[str]:
    """The title's agency, or the report's own fuller name for it when the title's is bare
    (no place: 财金局, 公安局), or the name the report gives when the title gives none."""
    names = [n for n in named_agencies(view) if PLACE.search(n)]
    if agency is None:
        return names[0] if names else None
    if PLACE.search(agency) or agency in known_agencies():
        return agency
    for name in names:
        if len(name) > len(agency) and name.endswith(agency[-1]) and _in_order(agency, name):
            return name
    return agency


def detect_year(view: str, title: str) -> Optional[int]:
    m = YEAR_IN_TITLE.search(title)
    if m:
        return int(m.group(1))
    m = PERIOD.search(view)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for y in ANY_YEAR.findall(view) if 2000 <= int(y) <= 2035)
    return years.most_common(1)[0][0] if years else None


def detect_template(view: str) -> Template:
    # 2021 revision: new 第二十条 columns, and 其他处理 split into 逾期不补正 / 逾期未缴费 / 其他 (a
    # report may keep the 2019 第二十条 layout with the revised application table)
    if re.search(r"本年制发件数|本年废止件数|现行有效件数|逾期不补正", view):
        return Template.t2021
    if re.search(r"本年新制作数量|对外公开总数量|上一年项目数量", view) or (
        "第二十条第" in view and "本年新收政府信息公开申请数量" in view
    ):
        return Template.t2019
    if "本年新收政府信息公开申请数量" in view:
        return Template.t2021
    return Template.prose


def level_of(agency: str) -> Optional[str]:
    info = known_agencies().get(agency)
    if info:
        return info.get("level")
    for suffix, level in (("区", "district"), ("县", "county"), ("市", "city"), ("省", "province")):
        head = re.split(r"人民政府|政府", agency)[0]
        if head.endswith(suffix) or f"{suffix}人民政府" in agency:
            return level
    if re.search(r"(?:部|委员会|总局|署)$", agency) and not re.search(r"[省市区县]", agency):
        return "central"
    return None


def detect_metadata(report: Report) -> Report:
    """Fill title, agency, year, template, script, level and boilerplate spans of a report."""
    view = matching_view(report.text)
    boiler = boilerplate_spans(report.text, view)
    lines = _lines(view, boiler)
    index, title_view = find_title(lines)
    title = report.text[lines[index][0] : lines[index][0] + len(title_view)] if lines else ""
    if lines and index > 0 and re.match(r"(?:19|20)\d{2}\s*年", title_view):
        # "洪泽区人民政府 / 2023 年政府信息公开工作年度报告": the agency line belongs to the title
        prev_offset, prev_line = lines[index - 1]
        title = report.text[prev_offset : prev_offset + len(prev_line)] + " " + title
    agency = full_agency(agency_from_title(lines, index, title_view), view)
    agency = canonical_agency(agency) if agency else None
    warnings = list(report.warnings)
    year = detect_year(view, title_view)
    if agency is None:
        warnings.append("no agency found in the title: set it with --agency")
    if year is None:
        warnings.append("no report year found: set it with --year")
    info = known_agencies().get(agency or "", {})
    return report.model_copy(
        update={
            "title": title.strip(),
            "agency": agency,
            "year": year,
            "region": info.get("region"),
            "level": level_of(agency) if agency else None,
            "template": detect_template(view),
            "script": "traditional" if is_traditional(report.text) else "simplified",
            "boilerplate": boiler,
            "warnings": warnings,
        }
    )
