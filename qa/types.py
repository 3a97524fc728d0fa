"""The data that flows between pipeline stages. Every field is described: the types are the docs.

Offsets (`start`, `end`) always index the *original* text of a report (Python str indices,
end exclusive), so a citation can quote exactly what the report says, in its own script.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field


Mode = Literal["none", "local", "openai"]
"""How a question the facts table cannot answer is answered: cited extracts only, the bundled local
LLM, or an OpenAI-compatible server. Shared by `qa.ask`, the CLI, the REPL and `qa eval`."""


class Template(str, Enum):
    """Which reporting format a report follows."""

    prose = "prose"  # 2008-2018 free text
    t2019 = "t2019"  # 2019 template tables (第二十条 + application table, 2019 columns)
    t2021 = "t2021"  # 2021 revised template tables


class SectionKind(str, Enum):
    overview = "overview"
    proactive = "proactive"  # 主动公开
    applications = "applications"  # 依申请公开 / 收到和处理申请
    fees = "fees"  # 收费及减免
    review = "review"  # 行政复议 / 行政诉讼
    staff = "staff"  # 工作人员及支出 (older reports)
    problems = "problems"  # 存在的问题及改进
    other = "other"


class Qualifier(str, Enum):
    """How exactly the report states a number."""

    exact = "exact"
    approx = "approx"  # 约, 左右
    at_least = "at_least"  # 余, 多, 超过, 以上
    nearly = "nearly"  # 近, 接近
    incomplete = "incomplete"  # 据不完全统计


class Report(BaseModel):
    id: str = Field(description="Content hash of the original text (16 hex chars); stable across re-ingest.")
    path: str = Field(description="File the report was read from.")
    title: str = Field(default="", description="First heading line of the report, original script.")
    agency: Optional[str] = Field(default=None, description="Canonical agency name (simplified), e.g. 外交部.")
    year: Optional[int] = Field(default=None, description="The year reported on (not the publication year).")
    region: Optional[str] = Field(default=None, description="Province/city/district the agency belongs to, if known.")
    level: Optional[str] = Field(default=None, description="central / province / city / district / county.")
    template: Template = Field(default=Template.prose, description="Reporting format.")
    script: str = Field(default="simplified", description="simplified or traditional: the script of the original.")
    source_format: str = Field(default="txt", description="txt / html / pdf / docx.")
    text: str = Field(description="The original text, decoded but otherwise untouched.")
    page_starts: list[int] = Field(
        default_factory=list, description="Offset where each PDF page starts (empty for other formats)."
    )
    boilerplate: list[tuple[int, int]] = Field(
        default_factory=list, description="Spans of web boilerplate/page footers, excluded from chunks and facts."
    )
    warnings: list[str] = Field(default_factory=list, description="Things noticed while reading (e.g. no year found).")


class Span(BaseModel):
    """A stretch of one report's original text: what sections and chunks have in common."""

    report_id: str = Field(description="Report the span lies in (content hash).")
    start: int = Field(description="Start offset in the original text (a section's includes its heading).")
    end: int = Field(description="End offset (exclusive) in the original text.")


class Section(Span):
    """A headed part of a report (一、… or （一）…), with its canonical kind."""

    index: int = Field(description="Position of the section in the report, from 0.")
    number: str = Field(default="", description='Heading number as written: "三", "（二）", or "" if unnumbered.')
    title: str = Field(description="Heading text without its number, original script.")
    path: str = Field(description='Parent title > own title, e.g. "二、主动公开信息情况 > （一）互联网".')
    kind: SectionKind = Field(description="Canonical section type (inherited from the parent for sub-sections).")
    level: int = Field(description="1 for 一、 headings, 2 for （一） headings, 0 for text before the first heading.")


class Chunk(Span):
    """A piece of a section, the unit of retrieval (embedded and keyword-indexed)."""

    model_config = ConfigDict(use_attribute_docstrings=True)  # each field's description is its docstring

    id: str
    """report_id:section_index:n, stable for the same report and settings."""
    section_index: int
    """Index of the section the chunk lies in."""
    section_path: str
    """Title path of the section the chunk lies in."""
    section_kind: SectionKind
    """Canonical kind of that section."""
    text: str
    """Original text of the chunk."""


class ReportRef(BaseModel):
    """Which report something comes from: what citations and facts have in common."""

    report_id: str = Field(description="Report it comes from (content hash).")
    agency: Optional[str] = Field(default=None, description="Canonical agency of the report (None: not stated).")
    year: Optional[int] = Field(default=None, description="Year the report is about.")


class Citation(ReportRef):
    """Where an answer comes from: a quote of the original report, with its place."""

    path: str = Field(default="", description="File of the report.")
    section: str = Field(default="", description="Section title path.")
    quote: str = Field(description="Exact original text at [start, end).")
    start: int = Field(description="Start offset of the quote in the original text.")
    end: int = Field(description="End offset (exclusive) of the quote in the original text.")
    page: Optional[int] = Field(default=None, description="PDF page number, when known.")


class Fact(ReportRef):
    """One number a report states (or a table cell holds), with the text that states it."""

    metric: str = Field(description="Canonical metric id from qa/facts/metrics.toml.")
    value: Optional[float] = Field(description="The number; None when the cell could not be parsed.")
    unit: str = Field(default="", description="件/份/条/场/人次/万元/元/个 ...")
    qualifier: Qualifier = Field(default=Qualifier.exact, description="How exactly the report states it (约, 余, 近 ...).")
    scope: str = Field(default="", description="Table column or sub-kind, e.g. total / natural_person / issued.")
    section: str = Field(default="", description="Section title path the fact lies in.")
    source: str = Field(default="prose", description="prose or table.")
    start: int = Field(description="Span of the evidence (number or table cell) in the original text.")
    end: int = Field(description="End (exclusive) of that span.")
    quote: str = Field(description="Sentence or table row quoted from the original text.")
    quote_start: int = Field(description="Span of the quote in the original text.")
    quote_end: int = Field(description="End (exclusive) of the quote's span.")
    status: str = Field(default="ok", description="ok / unparsed / inconsistent.")
    note: str = Field(default="", description="Why a cell is unparsed or flagged.")


class StoredReport(BaseModel):
    """A report as the store returns it: its place and meta, and how it was read. The text is
    filled only by the store methods that read it (`report_texts`)."""

    model_config = ConfigDict(use_attribute_docstrings=True)  # each field's description is its docstring

    id: str
    """Content hash of the original text (Report.id)."""
    path: str = ""
    """Absolute path of the file it was read from."""
    title: str = ""
    """First heading line of the report, original script."""
    agency: Optional[str] = None
    """Canonical agency name (None: not stated)."""
    year: Optional[int] = None
    """The year reported on."""
    region: Optional[str] = None
    """Province/city/district of the agency, if known."""
    level: Optional[str] = None
    """central / province / city / district / county."""
    template: str = "prose"
    """Reporting format: prose / t2019 / t2021."""
    script: str = "simplified"
    """simplified or traditional."""
    source_format: str = "txt"
    """txt / html / pdf / docx."""
    page_starts: list[int] = Field(default_factory=list)
    """Offset where each PDF page starts."""
    boilerplate: list[tuple[int, int]] = Field(default_factory=list)
    """Spans of boilerplate excluded from chunks and facts."""
    text: str = ""
    """The original text ('' unless the store method reads it)."""
    extractor_version: Optional[int] = None
    """qa.versions.EXTRACTOR_VERSION it was read with (None: not recorded — stale)."""
    extraction_settings: str = ""
    """JSON of the extraction settings it was read with ('' : not recorded — stale)."""

    # The store returned dicts before: row["agency"] and row.get("year") keep working.
    def __getitem__(self, key: str):
        if key not in type(self).model_fields:
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default=None):
        return getattr(self, key) if key in type(self).model_fields else default


class Query(BaseModel):
    """The question as understood: what it asks about, before any lookup."""

    question: str = Field(description="The question as asked.")
    agencies: list[str] = Field(default_factory=list, description="Canonical agency names the question names.")
    years: list[int] = Field(default_factory=list, description="Years the question names, in order.")
    metric: Optional[str] = Field(default=None, description="Metric id if the question asks for a number.")
    scope: Optional[str] = Field(default=None, description="Table column asked for, if any.")
    language: str = Field(default="zh", description="zh / en / mixed: the language to answer in.")
    script: str = Field(default="simplified", description="simplified / traditional.")
    intent: str = Field(default="lookup", description="lookup / compare / list / narrative.")
    unsupported: list[str] = Field(default_factory=list, description="Parts of the question we cannot resolve.")
    unknown_agency: Optional[str] = Field(
        default=None, description="An agency the question names that no ingested report belongs to.")
    agency_candidates: list[str] = Field(
        default_factory=list,
        description="Ingested agencies that all fit the question's mention of one agency: ask which.")
    agency_mentions: list[str] = Field(
        default_factory=list, description="The agency mentions found in the question, as written.")


class Timing(BaseModel):
    total_ms: float = Field(default=0.0, description="Wall time of answering, ms (a first-use seed ingest excluded).")
    stages: dict[str, float] = Field(default_factory=dict, description="ms per stage: understand, facts, retrieval ...")


class Provenance(BaseModel):
    """What produced an answer, so answers can be compared and reproduced."""

    qa_version: str = Field(description="Version of the qa package.")
    settings_hash: str = Field(description="Hash of every setting (the API key left out).")
    llm: str = Field(description="LLM backend the answer was asked with: local / openai / none.")
    llm_model: str = Field(default="", description="The model behind that backend ('' for none).")
    embedder: str = Field(description="Embedder of the vector store.")
    vocabulary_hash: str = Field(description="Hash of the metric vocabulary and the agency/English glossaries.")
    prompts_hash: str = Field(description="Hash of the prompt files.")


class Check(BaseModel):
    """One number of an answer's text, checked against the source it cites."""

    number: str = Field(description="The number as the answer writes it (\"119\", \"1.1万\", \"近200\").")
    value: Optional[float] = Field(default=None, description="Its value (1.1万 → 11000).")
    status: Literal["verified", "corrected", "unverified"] = Field(
        description="verified: a cited quote or a fact of a cited report states it; corrected: an LLM's number "
                    "was replaced by the cited fact's; unverified: no cited source states it.")
    citation: Optional[int] = Field(default=None, description="1-based index into Answer.citations that states it.")
    note: str = Field(default="", description="Why, for corrected and unverified numbers.")


class Answer(BaseModel):
    """What `qa.ask()` returns: the answer text, the number when there is one, and its sources."""

    question: str = Field(description="The question as asked (cut to 2000 characters).")
    text: str = Field(description="The answer, in the question's language.")
    mode: str = Field(description="fact (facts table) / retrieval (cited extracts) / llm (written by a language "
                                  "model, numbers verified) / abstain (the reports do not say).")
    value: Optional[float] = Field(default=None, description="The number, for numeric answers with one value.")
    unit: str = Field(default="", description="Unit of value as the report writes it (件, 份, 万元 ...).")
    qualifier: Optional[Qualifier] = Field(default=None, description="How exactly the report states value.")
    citations: list[Citation] = Field(default_factory=list, description="Sources, each quoted span once.")
    facts: list[Fact] = Field(default_factory=list, description="Facts the answer rests on.")
    query: Optional[Query] = Field(default=None, description="The question as understood.")
    verification: str = Field(default="verified", description="verified / corrected / unverified / n/a.")
    checks: list[Check] = Field(default_factory=list,
                                description="Every number of text, checked against its citations (qa.answer.verify).")
    unverified_numbers: list[str] = Field(default_factory=list,
                                          description="Numbers in an LLM's text that no source states.")
    warnings: list[str] = Field(default_factory=list, description="Notes for the reader (other figures, fallbacks).")
    settings_hash: str = Field(default="", description="Hash of the settings that shape answers (Settings.fingerprint).")
    timing: Timing = Field(default_factory=Timing, description="Where the time went.")
    provenance: Optional[Provenance] = Field(default=None, description="What produced the answer.")
