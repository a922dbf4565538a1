"""report.html: every section present, hostile text inert, nothing fetched from outside, empty stages handled."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from storyline.report.charts import date_ticks, focus_window, nice_ticks, outlet_styles, parse_partial
from storyline.report.export import build_analysis
from storyline.report.html import context, render_report, render_report_html
from storyline.report.matrix import claim_matrix
from storyline.store import Store
from webfixtures import HOSTILE, HOSTILE_OUTLET, HOSTILE_TITLE, build_store

SECTIONS = ("overview", "timeline", "sources", "matrix", "relations", "numbers", "quotes", "entities", "removed",
            "inputs", "articles")


class _Tags(HTMLParser):
    """Every start tag with its attributes, to check what a browser would actually build from the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> dict:
    db = str(tmp_path_factory.mktemp("rep") / "s.db")
    build_store(db)
    with Store(db, readonly=True) as st:
        return build_analysis(st)


@pytest.fixture(scope="module")
def html(analysis: dict) -> str:
    return render_report_html(analysis)


def test_writes_report_file(analysis: dict, tmp_path: Path) -> None:
    path = render_report(analysis, tmp_path / "out")
    assert path == tmp_path / "out" / "report.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_every_section_has_a_heading(html: str) -> None:
    tags = parse(html).tags
    ids = {a.get("id") for _, a in tags}
    for sec in SECTIONS:
        assert sec in ids, sec
        assert f'aria-labelledby="h-{sec}"' in html
    assert sum(1 for t, _ in tags if t == "h1") == 1
    assert sum(1 for t, _ in tags if t == "h2") >= len(SECTIONS)


def test_tables_have_scoped_headers(html: str) -> None:
    scopes = [a.get("scope") for t, a in parse(html).tags if t == "th"]
    assert scopes and all(s in ("col", "row") for s in scopes)


def test_hostile_text_is_escaped_everywhere(html: str) -> None:
    p = parse(html)
    assert not [t for t, _ in p.tags if t in ("script", "iframe", "object", "embed", "img")]
    assert not [(t, k) for t, a in p.tags for k in a if k.lower().startswith("on")]
    text = "".join(p.text)
    # The hostile strings survive as visible text (from titles, outlets, quotes, removed text, inputs, relations).
    assert text.count('<script>alert("x")</script>') >= 4
    assert HOSTILE_OUTLET in text and HOSTILE_TITLE in text
    assert "&lt;script&gt;" in html and "<script" not in html.lower()


def test_no_external_requests(html: str) -> None:
    for tag, attrs in parse(html).tags:
        for key, value in attrs.items():
            if key == "xmlns":        # a namespace name, never fetched
                continue
            if key in ("href", "src", "action", "srcset", "poster", "data") and value:
                assert value.startswith("#"), (tag, key, value)
    assert not re.search(r"url\(|@import|<link|<base", html, re.I)
    assert "default-src 'none'" in html      # and the page forbids any fetch even if something slipped through


def test_timeline_svg_is_accessible_and_shows_precision(html: str) -> None:
    svg = html[html.index('<svg class="chart" id="timeline-chart"'):]
    svg = svg[:svg.index("</svg>")]
    assert "<title" in svg and "<desc" in svg and 'role="img"' in svg
    assert "(month)" in svg and "(day)" in svg          # the December event is drawn as a month span
    assert svg.count('class="event"') == 4              # 3 events, the second reported by two outlets
    for name in ("The New Arab", "Military Times"):
        assert name in svg                              # lanes are labelled with text, not colour alone


def test_sources_matrix_relations_numbers_quotes(html: str, analysis: dict) -> None:
    assert "between 2021-04-20 and 2021-04-30" in html and "inferred from" in html
    assert "✔ asserts" in html and "✘ denies" in html
    assert html.count('class="relation"') == 3
    assert "<mark>American troops will remain in Iraq</mark>" in html   # the claim span inside its passage
    assert "Reported troops over time" in html and "2,500–3,000" in html
    assert "Frank McKenzie" in html and "We’re going to stay in Iraq," in html
    assert "boilerplate: social links" in html
    assert "/in/broken.warc.gz" in html and "truncated gzip stream" in html
    assert "near-duplicate" in html


def test_overview_is_built_from_the_facts(html: str) -> None:
    overview = html[html.index('<div class="overview">'):html.index('id="timeline"')]
    assert "3 articles from 3 sources" in overview
    assert "published between 2021-04-07 and 2021-04-23" in overview
    assert "1 undated article placed in an inferred window" in overview
    assert "2 contradictions" in overview and "1 numeric conflict" in overview
    assert "1 input failed" in overview


def test_render_is_deterministic(analysis: dict) -> None:
    assert render_report_html(analysis) == render_report_html(analysis)


def test_empty_analysis_renders_with_empty_states() -> None:
    html = render_report_html({})
    assert "No articles were analysed." in html
    for msg in ("No dated events were found.", "No claims were extracted.", "No figures were found.", "No quotes were found."):
        assert msg in html
    assert "<svg" not in html


def test_timeline_falls_back_to_claim_dates(analysis: dict) -> None:
    html = render_report_html({**analysis, "timeline": [], "relations": [], "sources": []})
    assert 'id="timeline-chart"' in html and "Derived from claims" in html
    assert "No agreements, contradictions" in html


def test_matrix_sides_from_relations_and_polarity() -> None:
    claims = [
        {"id": "c1", "article_id": "a1", "text": "troops will stay", "subject": "troops", "predicate": "stay", "object": None, "polarity": True},
        {"id": "c2", "article_id": "a2", "text": "troops will withdraw", "subject": "troops", "predicate": "withdraw", "object": None, "polarity": True},
        {"id": "c3", "article_id": "a3", "text": "troops will stay", "subject": "troops", "predicate": "stay", "object": None, "polarity": True},
        {"id": "c4", "article_id": "a1", "text": "no deal was signed", "subject": "deal", "predicate": "sign", "object": None, "polarity": False},
        {"id": "c5", "article_id": "a2", "text": "a deal was signed", "subject": "deal", "predicate": "sign", "object": None, "polarity": True},
    ]
    rel = [{"kind": "contradiction", "claim_ids": ["c1", "c2"]}, {"kind": "agreement", "claim_ids": ["c1", "c3"]}]
    m = claim_matrix(claims, rel, {"a1": "A", "a2": "B", "a3": "C", "a4": "D"}, ["A", "B", "C", "D"])
    rows = {r["text"]: {c["outlet"]: c["stance"] for c in r["cells"]} for r in m["rows"]}
    assert rows["troops will stay"] == {"A": "asserts", "B": "denies", "C": "asserts", "D": "silent"}
    deal = next(v for k, v in rows.items() if "deal" in k)
    assert deal["A"] != deal["B"] and {deal["A"], deal["B"]} == {"asserts", "denies"} and deal["C"] == "silent"


def test_chart_helpers() -> None:
    assert parse_partial("2021-04-23") == (date(2021, 4, 23), date(2021, 4, 23), "day")
    assert parse_partial("2021-02") == (date(2021, 2, 1), date(2021, 2, 28), "month")
    assert parse_partial("2021") == (date(2021, 1, 1), date(2021, 12, 31), "year")
    assert parse_partial("yesterday") is None and parse_partial(None) is None and parse_partial("2021-13") is None
    t = nice_ticks(0, 3150)
    assert t[0] == 0 and t[-1] >= 3150 and len(t) <= 8
    ticks = date_ticks(date(2020, 1, 1), date(2021, 6, 1))
    assert 2 <= len(ticks) <= 8 and all(a[0] < b[0] for a, b in zip(ticks, ticks[1:], strict=False))
    styles = outlet_styles([f"o{i}" for i in range(48)])
    assert len({(s.colour, s.shape) for s in styles.values()}) == 48


def test_context_cuts_at_sentence_edges() -> None:
    text = "First sentence here. The claim is right here. After that, more."
    s = text.index("claim is")
    ctx = context(text, s, s + len("claim is"))
    assert ctx == {"before": "The ", "span": "claim is", "after": " right here."}
    assert HOSTILE  # imported for the escaping tests above


def test_focus_window_zooms_past_background_events() -> None:
    def ev(d: date) -> dict:
        return {"start": d, "end": d}

    story = [ev(date(2021, 4, d)) for d in range(1, 20)]
    lo, hi = focus_window([ev(date(2003, 3, 20)), ev(date(2011, 12, 1)), *story])
    assert date(2021, 3, 1) < lo <= date(2021, 4, 1) and date(2021, 4, 19) <= hi < date(2021, 6, 1)
    assert focus_window(story) is None                       # nothing to zoom past
    assert focus_window([ev(date(2003, 1, 1)), ev(date(2021, 1, 1))]) is None   # too few events to call a core


def test_an_outlet_naming_itself_is_not_a_mention_of_it() -> None:
    from storyline.report.html import _overview

    arts = [{"id": f"a{i}", "outlet": "CNN" if i < 3 else "BBC", "published": "2011-03-0" + str(i + 1)}
            for i in range(4)]
    ents = [{"name": "CNN", "type": "org", "article_ids": ["a0", "a1", "a2"]},      # "(CNN) --" datelines only
            {"name": "Libya", "type": "place", "article_ids": ["a0", "a3"]}]
    lines = _overview({"articles": arts, "entities": ents}, ["BBC", "CNN"], {"rows": []}, [], [])
    mentioned = next(x for x in lines if x.startswith("Most mentioned"))
    assert "Libya (2 articles)" in mentioned and "CNN" not in mentioned


def test_one_overtaken_position_is_one_card_and_nested_claims_one_passage() -> None:
    from storyline.report.html import _relations

    text = "The WHO did not plan to raise the alert to six. Mexico has confirmed 20 deaths from the flu and has 40 more."
    arts = {"a": {"id": "a", "text": text, "outlet": "Guardian", "published": "2009-05-04"},
            "b": {"id": "b", "text": "The WHO raised the alert to six.", "outlet": "Reuters", "published": "2009-06-11"},
            "c": {"id": "c", "text": "The WHO decided to raise the alert to six.", "outlet": "BBC", "published": "2009-06-11"}}
    claims = {"early": {"id": "early", "article_id": "a", "start": 0, "end": 47, "text": text[:47]},
              "late1": {"id": "late1", "article_id": "b", "start": 0, "end": 31, "text": "The WHO raised the alert"},
              "late2": {"id": "late2", "article_id": "c", "start": 0, "end": 41, "text": "The WHO decided"},
              "short": {"id": "short", "article_id": "a", "start": 48, "end": 91, "text": text[48:91]},
              "long": {"id": "long", "article_id": "a", "start": 48, "end": len(text) - 1, "text": text[48:-1]}}
    rels = [{"id": "r1", "kind": "superseded", "claim_ids": ["early", "late1"], "confidence": 0.83, "importance": 0.3},
            {"id": "r2", "kind": "superseded", "claim_ids": ["early", "late2"], "confidence": 0.83, "importance": 0.2},
            {"id": "r3", "kind": "change_over_time", "claim_ids": ["short", "long", "late1"], "confidence": 0.9,
             "importance": 0.5}]
    shown, more = _relations({"relations": rels}, arts, claims)
    superseded = [v for v in shown if v["kind"] == "superseded"]
    assert len(superseded) == 1 and more["superseded"] == 0
    assert [s["article_id"] for s in superseded[0]["sides"]] == ["a", "b", "c"]     # the earlier claim once
    assert superseded[0]["also"] == ["BBC (2009-06-11)"]
    change = next(v for v in shown if v["kind"] == "change_over_time")
    assert [s["article_id"] for s in change["sides"]] == ["a", "b"]   # 'long' holds 'short': one passage


def test_a_speakers_own_words_come_first_and_fragments_and_repeats_are_not_shown() -> None:
    from storyline.report.html import _quotes_by_speaker

    def quote(i: int, text: str, direct: bool) -> dict:
        return {"id": f"q{i}", "article_id": f"a{i}", "speaker": "Ann Lee", "text": text, "direct": direct, "cue": "said"}

    analysis = {"quotes": [
        quote(0, "as the new director", False),                                   # a bare phrase: last
        quote(1, "the agency would close three more schools next week", False),
        quote(2, "CNN)", False),                                                  # a misread: not shown
        quote(3, "We will reopen the schools when it is safe", True),
        quote(4, "We will reopen the schools when it is safe", True),              # the same words elsewhere
        quote(5, "the outbreak is “cause for concern but not for alarm”", True),   # quoted words in a paraphrase
    ]}
    (group,) = _quotes_by_speaker(analysis, {})
    assert [q["text"] for q in group["quotes"]] == ["We will reopen the schools when it is safe",
                                                    "the outbreak is “cause for concern but not for alarm”",
                                                    "the agency would close three more schools next week",
                                                    "as the new director"]
    assert [q["wrap"] for q in group["quotes"]] == [True, False, False, False]   # marks only around whole quotations
    assert group["count"] == 6 and group["more"] == 2


def test_the_overview_counts_every_sure_relation_not_only_the_cards_shown() -> None:
    from storyline.report.html import PER_KIND, REPORT_MIN_CONFIDENCE, _sure_counts

    sure = [{"id": f"r{i}", "kind": "change_over_time", "confidence": 0.9, "claim_ids": [f"c{i}"]}
            for i in range(PER_KIND + 1)]
    unsure = [{"id": "u", "kind": "agreement", "confidence": REPORT_MIN_CONFIDENCE - 0.01, "claim_ids": ["x", "y"]}]
    overtaken = [{"id": f"s{i}", "kind": "superseded", "confidence": 0.8, "claim_ids": ["old", f"new{i}"]}
                 for i in range(2)]                          # one position overtaken twice: one card
    counts = _sure_counts({"relations": sure + unsure + overtaken})
    assert counts == {"change_over_time": PER_KIND + 1, "superseded": 1}


def test_a_paraphrase_cut_inside_a_quotation_gets_its_marks_back_and_the_body_is_not_said_twice() -> None:
    from storyline.report.html import _quotes_by_speaker

    def quote(i: int, text: str, role: str, body: str) -> dict:
        return {"id": f"q{i}", "article_id": f"a{i}", "speaker": "Moammar Gadhafi", "text": text, "direct": True,
                "cue": "vowed", "speaker_role": role, "speaker_affiliation": body}

    analysis = {"quotes": [quote(0, "full support” to the people of Haiti to help recover", "Libyan leader", "Libyan"),
                           quote(1, "he wanted to show people “that I am in Tripoli, not in Venezuela", "Libyan leader",
                                 "Libyan")]}
    (group,) = _quotes_by_speaker(analysis, {})
    assert [q["text"] for q in group["quotes"]] == ["“full support” to the people of Haiti to help recover",
                                                    "he wanted to show people “that I am in Tripoli, not in Venezuela”"]
    assert group["role"] == "Libyan leader" and group["affiliation"] == ""
    analysis["quotes"][0]["speaker_affiliation"] = analysis["quotes"][1]["speaker_affiliation"] = "Libya"
    assert _quotes_by_speaker(analysis, {})[0]["affiliation"] == "Libya"
