"""A small hand-built store for the report and web tests: three outlets, dated and undated articles, a duplicate,
claims that contradict, figures that conflict, failed inputs — and hostile text in every field a page shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from storyline.config import Settings
from storyline.model import Article, Evidence, InputRecord, Removed, content_id
from storyline.store import Store

HOSTILE = '<script>alert("x")</script><img src=x onerror="alert(1)">'
HOSTILE_TITLE = "Troops <script>document.title='pwned'</script> stay"
HOSTILE_OUTLET = 'Evil <img src=x onerror=alert(2)> News'

TEXTS = {
    "a": ("General Frank McKenzie said American troops will remain in Iraq. "
          "\u201cWe\u2019re going to stay in Iraq,\u201d McKenzie said on Thursday. "
          "About 2,500 troops are in Iraq as of April 2021."),
    "b": ("Washington and Baghdad said US combat troops will withdraw from Iraq by the end of 2021. "
          "There are 3,000 troops in Iraq, officials said. " + HOSTILE + " The statement was issued on April 7."),
    "c": ("Officials denied that American troops will remain in Iraq. " + HOSTILE_TITLE +
          " Some 2,500 to 3,000 troops are deployed in Iraq."),
}


def _span(text: str, piece: str) -> tuple[int, int]:
    s = text.index(piece)
    return s, s + len(piece)


def _claim(aid: str, text: str, piece: str, subj: str, pred: str, obj: str, polarity: bool = True,
           modality: str = "asserted", speaker: str | None = None, when: str | None = None, prec: str | None = None) -> dict:
    s, e = _span(text, piece)
    return {"id": content_id("clm", aid, s, e), "article_id": aid, "start": s, "end": e, "text": piece, "subject": subj,
            "predicate": pred, "object": obj, "polarity": polarity, "modality": modality, "speaker": speaker,
            "event_date": when, "event_date_precision": prec, "hedged": False, "quote_id": None}


def _qty(aid: str, text: str, piece: str, value: float | None, low: float | None, high: float | None, approx: bool, as_of: str | None) -> dict:
    s, e = _span(text, piece)
    return {"id": content_id("qty", aid, s, e), "article_id": aid, "start": s, "end": e, "text": piece, "value": value,
            "low": low, "high": high, "approximate": approx, "unit": None, "counted": "troops", "location": "Iraq", "as_of": as_of}


def build_store(path: str) -> dict[str, str]:
    """Write the fixture store at ``path``; returns {"a": article id, ...} plus claim ids under "claim_*"."""
    arts = {
        "a": Article(id=content_id("art", TEXTS["a"]), source="/in/a.html", text=TEXTS["a"], title="US will stay in Iraq",
                     outlet="The New Arab", published=date(2021, 4, 23), published_basis="meta article:published_time",
                     genre="news", author="Staff", evidence=[Evidence("published", "2021-04-23", "meta tag"),
                                                                 Evidence("language", "en", "py3langid 1.00")],
                     removed=[Removed("Follow us on Twitter", "boilerplate: social links"), Removed(HOSTILE, "navigation")]),
        "b": Article(id=content_id("art", TEXTS["b"]), source="/in/b.txt", text=TEXTS["b"], title=HOSTILE_TITLE,
                     outlet=HOSTILE_OUTLET, published=date(2021, 4, 7), published_basis="dateline", genre="news"),
        "c": Article(id=content_id("art", TEXTS["c"]), source="/in/c.txt", text=TEXTS["c"], title="Denial",
                     outlet="Military Times", published_bounds=(date(2021, 4, 20), date(2021, 4, 30)),
                     published_basis="inferred from 'on Thursday' and a cited date", genre="analysis"),
        "d": Article(id=content_id("art", TEXTS["a"] + " "), source="/in/a-copy.html", text=TEXTS["a"] + " ",
                     title="US will stay in Iraq (copy)", outlet="The New Arab", published=date(2021, 4, 23), genre="news"),
    }
    ids = {k: a.id for k, a in arts.items()}
    arts["d"].duplicate_of = ids["a"]
    ta, tb, tc = TEXTS["a"], TEXTS["b"], TEXTS["c"]
    claims = {
        "a": [_claim(ids["a"], ta, "American troops will remain in Iraq", "American troops", "remain", "in Iraq",
                     speaker="Frank McKenzie", when="2021-04-22", prec="day")],
        "b": [_claim(ids["b"], tb, "US combat troops will withdraw from Iraq by the end of 2021", "US combat troops",
                     "withdraw", "from Iraq", modality="planned", when="2021-12", prec="month")],
        "c": [_claim(ids["c"], tc, "American troops will remain in Iraq", "American troops", "remain", "in Iraq",
                     polarity=False, modality="denied", when="2021", prec="year")],
    }
    quantities = {
        "a": [_qty(ids["a"], ta, "About 2,500 troops", 2500, None, None, True, "2021-04")],
        "b": [_qty(ids["b"], tb, "3,000 troops", 3000, None, None, False, None)],
        "c": [_qty(ids["c"], tc, "2,500 to 3,000 troops", None, 2500, 3000, True, None)],
    }
    s, e = _span(ta, "We\u2019re going to stay in Iraq,")
    quotes = {"a": [{"id": content_id("quote", ids["a"], s, e), "article_id": ids["a"], "start": s, "end": e,
                     "text": ta[s:e], "speaker": "Frank McKenzie", "speaker_entity_id": "ent_mckenzie00000001",
                     "cue": "said", "direct": True}],
              "b": [{"id": content_id("quote", ids["b"], 0, 20), "article_id": ids["b"], "start": 0, "end": 20,
                     "text": HOSTILE, "speaker": HOSTILE_OUTLET, "speaker_entity_id": None, "cue": "said", "direct": False}]}
    entities = [
        {"id": "ent_mckenzie00000001", "name": "Frank McKenzie", "type": "person", "aliases": ["McKenzie"],
         "article_ids": [ids["a"], ids["d"]], "role": "General"},
        {"id": "ent_iraq000000000001", "name": "Iraq", "type": "place", "aliases": [], "article_ids": [ids["a"], ids["b"], ids["c"]]},
        {"id": "ent_evil000000000001", "name": HOSTILE, "type": "org", "aliases": [HOSTILE_OUTLET], "article_ids": [ids["b"]]},
    ]
    cid = {k: v[0]["id"] for k, v in claims.items()}
    with Store(path) as st:
        for art in arts.values():
            st.add_article(art)
            st.record_input(InputRecord(art.source, "duplicate" if art.duplicate_of else "ok", "", art.id))
        st.record_input(InputRecord("/in/broken.warc.gz", "failed", "truncated gzip stream " + HOSTILE))
        st.record_input(InputRecord("/in/empty.txt", "skipped", "no text left after cleaning"))
        for key in ("a", "b", "c"):
            aid, text = ids[key], TEXTS[key]
            facts = {"entities": [e for e in entities if aid in e["article_ids"]], "quotes": quotes.get(key, []),
                     "claims": claims[key], "quantities": quantities[key], "times": [],
                     "sentences": [{"start": 0, "end": len(text)}]}
            passages = [{"id": content_id("psg", aid, "claim", c["start"], c["end"]), "kind": "claim", "start": c["start"],
                         "end": c["end"], "text": c["text"], "speaker": c["speaker"]} for c in claims[key]]
            passages.append({"id": content_id("psg", aid, "sentence", 0, len(text)), "kind": "sentence", "start": 0,
                             "end": len(text), "text": text, "speaker": None})
            st.put_facts(aid, "facts-test", facts, passages)
        st.put_corpus("entities", "t", entities)
        st.put_corpus("stories", "t", [{"id": "sty_0000000000000001", "title": "US troops in Iraq",
                                        "article_ids": [ids["a"], ids["b"], ids["c"]]}])
        st.set_story(ids["a"], "sty_0000000000000001")
        st.put_corpus("relations", "t", [
            {"kind": "contradiction", "claim_ids": [cid["a"], cid["c"]], "explanation": "One says troops stay; the other denies it."},
            {"kind": "contradiction", "claim_ids": [cid["a"], cid["b"]], "explanation": "Stay vs withdraw " + HOSTILE},
            {"kind": "numeric_conflict", "claim_ids": [], "explanation": "2,500 vs 3,000 troops"},
        ])
        st.put_corpus("timeline", "t", [
            {"date": "2021-04-07", "precision": "day", "summary": "Joint statement: troops to withdraw " + HOSTILE,
             "claim_ids": [cid["b"]], "article_ids": [ids["b"]]},
            {"date": "2021-04-22", "precision": "day", "summary": "McKenzie: troops will stay", "claim_ids": [cid["a"]],
             "article_ids": [ids["a"], ids["c"]]},
            {"date": "2021-12", "precision": "month", "summary": "Planned end of combat mission", "claim_ids": [cid["b"]],
             "article_ids": [ids["b"]]},
        ])
        st.put_corpus("sources", "t", [
            {"outlet": "The New Arab", "article_ids": [ids["a"]], "genre_counts": {"news": 1}, "stance": {cid["a"]: "asserts"},
             "framing_terms": ["drawdown", "presence"]},
            {"outlet": HOSTILE_OUTLET, "article_ids": [ids["b"]], "genre_counts": {"news": 1}, "stance": {},
             "framing_terms": [HOSTILE]},
        ])
        st.commit()
    ids.update({f"claim_{k}": v for k, v in cid.items()})
    return ids


def fake_check(store: Store, claim: str, as_of: Any, settings: Settings) -> dict[str, Any]:
    """A stand-in for the claim checker (web and browser tests): a fixed verdict citing the store's first article."""
    art = next(iter(store.articles(limit=1)))
    return {"claim": claim, "as_of": as_of.isoformat() if as_of else None, "verdict": "conflicting", "confidence": 0.61,
            "evidence": [{"article_id": art.id, "source": art.source, "outlet": HOSTILE_OUTLET, "published": "2021-04-07",
                          "text": HOSTILE_TITLE, "stance": "disagree", "score": 0.8}],
            "explanation": "Sources disagree " + claim}
