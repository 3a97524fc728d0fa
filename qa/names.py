"""Names a user types for an agency or a metric, resolved against the store.

Shared by the library (`qa.facts`, `qa.trend`), the CLI and the REPL, so `qa facts --agency 外交部`,
`:facts Ministry of Foreign Affairs` and `qa.facts(agency="foreign ministry")` accept the same names
as a question does. Light imports only: a fact lookup must not load torch, llama-index or chromadb.
"""

from __future__ import annotations

from qa.store import Store


def resolve_agency(name: str, store: Store) -> str:
    """The ingested agency `name` stands for: the same linking as a question (aliases, short forms,
    English names). ValueError, naming the closest known agencies, when the name links to no
    ingested agency or to several."""
    from qa.link import agency_years, closest_agencies
    from qa.normalize import matching_view
    from qa.understand import find_agencies

    known = store.agencies()
    found = [a for a in find_agencies(matching_view(name), known) if a in known]
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(f"{name!r} names several agencies ({', '.join(found)}): give one")
    # qa.link ranks by shared characters: an English name shares none, so then list what there is
    closest = closest_agencies(matching_view(name), agency_years(store)) or sorted(known)[:3]
    raise ValueError(f"unknown agency {name!r}: no ingested report is of it; closest known: {', '.join(closest)}")


def resolve_metric(name: str) -> str:
    """The metric id of `name`: an id of qa/facts/metrics.toml, or a name a question would use
    (行政复议, "applications received"). ValueError when it names none."""
    from qa.facts.common import vocabulary

    if name in vocabulary()["metrics"]:
        return name
    from qa.normalize import matching_view
    from qa.understand import find_metric

    metric = find_metric(matching_view(name))
    if metric is None:
        raise ValueError(f"unknown metric {name!r}: see qa/facts/metrics.toml")
    return metric
