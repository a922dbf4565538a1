"""Which built articles a run keeps: ``--since/--until`` (publication date), ``--host`` (site) and ``--lang``
(language). An input left out is recorded as ``skipped`` with the reason (``inputs``), never dropped silently."""

from __future__ import annotations

from datetime import date

from ..config import Settings
from ..meta.outlets import registered_domain
from ..model import Article


def _hosts(settings: Settings) -> list[str]:
    return [h.strip().lower().removeprefix("www.") for h in settings.hosts.split(",") if h.strip()]


def filter_reason(art: Article, settings: Settings) -> str | None:
    """Why ``art`` is left out of this run, or None to keep it. A stated date outside the window is left out; an
    undated article only when its inferred window lies wholly outside (it may fall inside otherwise)."""
    since = date.fromisoformat(settings.since) if settings.since else None
    until = date.fromisoformat(settings.until) if settings.until else None
    if since or until:
        if art.published is not None:
            if since and art.published < since:
                return f"filtered: published {art.published} is before --since {since}"
            if until and art.published > until:
                return f"filtered: published {art.published} is after --until {until}"
        elif art.published_bounds:
            lo, hi = art.published_bounds
            if since and hi is not None and hi < since:
                return f"filtered: undated, inferred window ends {hi}, before --since {since}"
            if until and lo is not None and lo > until:
                return f"filtered: undated, inferred window starts {lo}, after --until {until}"
    hosts = _hosts(settings)
    if hosts:
        from urllib.parse import urlsplit

        host = (urlsplit(art.url).hostname or "") if art.url and "://" in art.url else ""
        names = {host.lower().removeprefix("www."), registered_domain(host)} - {""} if host else set()
        outlet = (art.outlet or "").lower()
        wanted = set(hosts) | {registered_domain(h) for h in hosts}
        if not (names & wanted or any(host.lower().endswith("." + h) for h in hosts if host) or outlet in wanted):
            said = host or (f"outlet {art.outlet!r}" if art.outlet else "no URL or outlet")
            return f"filtered: {said} is not one of --host {', '.join(hosts)}"
    langs = languages(settings)
    if langs and art.language is not None and art.language not in langs:
        return f"filtered: language {art.language} is not one of --lang {', '.join(langs)}"
    return None


def languages(settings: Settings) -> list[str]:
    """The ``--lang`` codes, lower case. An article whose language is undetermined (too short, or the model unsure)
    is kept, as an undated article is kept by ``--since/--until``."""
    return [c.strip().lower() for c in settings.langs.split(",") if c.strip()]
