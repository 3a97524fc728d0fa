"""Word's automatic list numbers (``w:numPr``): the label Word draws before a paragraph.

Headings and row labels of .docx reports often get their numbers this way (``一、`` ``（一）``
``1.``), so `qa.read.docx` writes them out; `Numbering` counts the way Word does.
"""

from __future__ import annotations

import re
from typing import Optional

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(name: str) -> str:
    """A WordprocessingML tag or attribute name with its namespace."""
    return f"{{{W}}}{name}"


def to_int(value: Optional[str], default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


CN = "〇一二三四五六七八九"
CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
TIANGAN = "甲乙丙丁戊己庚辛壬癸"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int, digits: str = CN, ten: str = "十") -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + ten + (digits[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                       (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += sym
            n -= value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def format_number(n: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (w:numFmt)."""
    if fmt in {"chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand"}:
        return _chinese(n)
    if fmt in {"chineseLegalSimplified", "ideographLegalTraditional"}:
        return _chinese(n, CN_LEGAL, "拾")
    if fmt in {"ideographTraditional"}:
        return TIANGAN[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and anything unknown


class Numbering:
    """Word's automatic list numbers: (numId, ilvl) → the label text, counting as Word does."""

    def __init__(self, doc) -> None:
        self.levels: dict[str, dict[int, dict]] = {}  # numId → ilvl → {start, fmt, text}
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            numbering = doc.part.numbering_part.element
        except Exception:  # no numbering part
            numbering = None
        if numbering is not None:
            abstract: dict[str, dict[int, dict]] = {}
            for an in numbering.iterfind(q("abstractNum")):
                abstract[an.get(q("abstractNumId"))] = {
                    int(lvl.get(q("ilvl"), "0")): self._level(lvl) for lvl in an.iterfind(q("lvl"))
                }
            for num in numbering.iterfind(q("num")):
                ref = num.find(q("abstractNumId"))
                levels = {k: dict(v) for k, v in abstract.get(ref.get(q("val")) if ref is not None else "", {}).items()}
                for override in num.iterfind(q("lvlOverride")):
                    ilvl = int(override.get(q("ilvl"), "0"))
                    lvl = override.find(q("lvl"))
                    if lvl is not None:
                        levels[ilvl] = self._level(lvl)
                    start = override.find(q("startOverride"))
                    if start is not None and ilvl in levels:
                        levels[ilvl]["start"] = to_int(start.get(q("val")), 1)
                self.levels[num.get(q("numId"))] = levels
        try:
            styles = doc.styles.element
        except Exception:
            styles = None
        if styles is not None:
            based: dict[str, str] = {}
            direct: dict[str, tuple[str, int]] = {}
            for style in styles.iterfind(q("style")):
                sid = style.get(q("styleId"))
                b = style.find(q("basedOn"))
                if b is not None:
                    based[sid] = b.get(q("val"))
                found = _num_pr(style.find(q("pPr")))
                if found:
                    direct[sid] = found
            for sid in set(based) | set(direct):
                cur, seen = sid, set()
                while cur and cur not in direct and cur not in seen:
                    seen.add(cur)
                    cur = based.get(cur)
                if cur in direct:
                    self.style_num[sid] = direct[cur]

    @staticmethod
    def _level(lvl) -> dict:
        def val(tag: str, default: str) -> str:
            el = lvl.find(q(tag))
            return el.get(q("val"), default) if el is not None else default

        return {"start": to_int(val("start", "1"), 1), "fmt": val("numFmt", "decimal"), "text": val("lvlText", "")}

    def label(self, p) -> str:
        """The number Word would draw before paragraph `p` ('' if none), advancing the counters."""
        ppr = p.find(q("pPr"))
        found = _num_pr(ppr)
        if found is None and ppr is not None:
            style = ppr.find(q("pStyle"))
            if style is not None:
                found = self.style_num.get(style.get(q("val")))
                if found is not None and ppr.find(q("numPr")) is not None:
                    ilvl = ppr.find(q("numPr")).find(q("ilvl"))
                    if ilvl is not None:
                        found = (found[0], to_int(ilvl.get(q("val")), 0))
        if not found:
            return ""
        num_id, ilvl = found
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl]["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        lvl = levels[ilvl]
        if lvl["fmt"] == "bullet":
            return ""

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            n = counters.get(k, levels[k]["start"])
            return format_number(n, levels[k]["fmt"])

        text = re.sub(r"%([1-9])", sub, lvl["text"])
        return text + " " if text and text[-1].isascii() and text[-1].isalnum() else text


def _num_pr(ppr) -> Optional[tuple[str, int]]:
    if ppr is None:
        return None
    num_pr = ppr.find(q("numPr"))
    if num_pr is None:
        return None
    num_id = num_pr.find(q("numId"))
    ilvl = num_pr.find(q("ilvl"))
    if num_id is None:
        return None
    return num_id.get(q("val")), to_int(ilvl.get(q("val")) if ilvl is not None else "0", 0)
