"""run_all over a real store: syndicated copies counted once, story ids stable when new articles arrive,
entities that only share a surname kept apart."""

from __future__ import annotations

from datetime import date

from storyline.config import Settings
from storyline.ingest.dedup import signature, to_bytes
from storyline.store import Store
from storyline.xdoc.corpus import VERSION, run_all
from storyline.xdoc.entities import canonicalise
from storyline.xdoc.view import build_view
from xdoc_facts import Doc, seed_like_corpus, us_iraq_entities

WIRE = ("Officials in Baghdad and Washington agreed on Wednesday that the remaining American combat forces would "
        "leave the country once technical talks settle the timing, according to a joint statement issued after a "
        "day of talks between the two delegations. The statement said the mission had moved to training and "
        "advising Iraqi forces, and that the bases hosting coalition personnel are Iraqi bases. Rocket attacks on "
        "those bases have continued this year, and militias backed by Iran have demanded that the troops depart.")


def _add(store: Store, doc: Doc, body: str | None = None) -> None:
    art = doc.article()
    if body is not None:
        art.text = art.text + body
    store.add_article(art, to_bytes(signature(art.text)))
    store.put_facts(art.id, "test", doc.facts)


def _wire_copy(key: str, outlet: str, published: date, tail: str) -> tuple[Doc, str]:
    d = us_iraq_entities(Doc(key, "US to pull combat troops from Iraq", outlet=outlet, published=published))
    d.claim("US to pull combat troops from Iraq", "US", "withdraw", "combat troops", modality="planned", in_title=True)
    return d, WIRE + " " + tail


def test_syndicated_copies_count_once(tmp_path) -> None:
    with Store(str(tmp_path / "s.db")) as store:
        one, body1 = _wire_copy("w1", "Wire", date(2021, 4, 7), "Reporting by the wire desk.")
        two, body2 = _wire_copy("w2", "Reposter", date(2021, 4, 8), "Republished with permission.")
        _add(store, one, body1)
        _add(store, two, body2)
        report = run_all(store, Settings(db=str(tmp_path / "s.db")))
        assert report["articles"] == 2
        assert store.article(two.id).duplicate_of == one.id       # the later copy points at the earlier
        assert store.article(one.id).duplicate_of is None
        groups = store.corpus("syndication")
        assert groups[0]["canonical"] == one.id and groups[0]["outlets"] == ["Reposter", "Wire"]
        # Two copies of one wire story are one source: no agreement between them.
        assert [r for r in store.corpus("relations") if r["kind"] == "agreement"] == []
        stories = store.corpus("stories")
        assert len(stories) == 1 and set(stories[0]["article_ids"]) == {one.id, two.id}
        assert store.article(two.id).story_id == stories[0]["id"]
        assert store.conn.execute("SELECT version FROM corpus WHERE kind='stories'").fetchone()[0] == VERSION


def test_new_articles_join_existing_stories_and_ids_stay(tmp_path) -> None:
    docs = seed_like_corpus()
    with Store(str(tmp_path / "s.db")) as store:
        for d in docs[:3]:
            _add(store, d)
        run_all(store, Settings(db=str(tmp_path / "s.db")))
        first = store.corpus("stories")
        assert len(first) == 1
        sid = first[0]["id"]
        other = Doc("quake", "Earthquake strikes northern Chile", outlet="Andes News", published=date(2021, 5, 2))
        other.entity("Chile", "place", mentions=3).entity("Antofagasta", "place").entity("Michelle Bachelet", "person")
        other.claim("A magnitude 6.8 earthquake struck northern Chile on Sunday", "earthquake", "strike", "Chile",
                    event_date="2021-05-02")
        _add(store, docs[3])
        _add(store, other)
        run_all(store, Settings(db=str(tmp_path / "s.db")))
        second = {s["id"]: s for s in store.corpus("stories")}
        assert sid in second
        assert docs[3].id in second[sid]["article_ids"]
        assert other.id not in second[sid]["article_ids"]
        assert len(second) == 2
        assert store.article(other.id).story_id != sid


def test_people_sharing_a_surname_stay_apart() -> None:
    a = Doc("p1", "Smiths in the news", published=date(2022, 1, 1))
    a.entity("John Smith", "person").entity("Smith", "person")
    b = Doc("p2", "More Smiths", published=date(2022, 1, 2))
    b.entity("Mary Smith", "person")
    c = Doc("p3", "Islamic State claims attack", published=date(2022, 1, 3))
    c.entity("ISIL", "org").entity("Daesh", "org")
    d = Doc("p4", "IS attack", published=date(2022, 1, 4))
    d.entity("Islamic State", "org", "IS")
    view = build_view([x.article() for x in (a, b, c, d)], {x.id: x.facts for x in (a, b, c, d)})
    names = {r["name"]: r for r in canonicalise(view).records}
    assert "John Smith" in names and "Mary Smith" in names
    assert names["John Smith"]["id"] != names["Mary Smith"]["id"]
    assert {c.id, d.id} <= set(names["Islamic State"]["article_ids"])


def test_syndication_groups_are_the_components_of_all_matching_candidate_pairs() -> None:
    """Skipping candidates already grouped changes nothing: the groups equal the connected components of every LSH
    candidate pair whose signatures match (a wire story with many copies, plus unrelated articles)."""
    import random

    import numpy as np
    from datasketch import MinHashLSH

    from storyline.ingest.dedup import NUM_PERM, signature, to_bytes
    from storyline.model import Article
    from storyline.xdoc.syndication import UnionFind, _jaccard, find_groups
    from storyline.xdoc.view import build_view
    from xdoc_facts import LshSignature

    rng = random.Random(3)
    words = [f"w{i}" for i in range(300)]
    wire = [rng.choice(words) for _ in range(150)]
    texts = []
    for _ in range(25):                      # 25 re-posts of one wire story, each edited a little differently
        toks = list(wire)
        for j in rng.sample(range(len(toks)), rng.randint(0, 25)):
            toks[j] = rng.choice(words)
        texts.append(" ".join(toks))
    texts += [" ".join(rng.choice(words) for _ in range(150)) for _ in range(10)]
    arts = [Article(id=f"a{i:03d}", source=f"s{i}", text=t) for i, t in enumerate(texts)]
    rows = [(a.id, to_bytes(signature(a.text))) for a in arts]
    groups = find_groups(rows, build_view(arts, {}), 0.6)

    sigs = {aid: np.frombuffer(b, dtype=np.uint64) for aid, b in rows}
    lsh = MinHashLSH(threshold=0.6, num_perm=NUM_PERM)
    uf = UnionFind()
    for aid, _b in rows:                    # every LSH candidate pair checked, none skipped
        for cand in lsh.query(LshSignature(sigs[aid])):
            if _jaccard(sigs[aid], sigs[cand]) >= 0.6:
                uf.union(aid, cand)
        lsh.insert(aid, LshSignature(sigs[aid]))
    brute = sorted(sorted(m) for m in uf.groups().values() if len(m) > 1)
    assert sorted(sorted(g.members) for g in groups) == brute
    assert max(len(g) for g in brute) >= 10


def test_corpus_documents_are_written_in_pieces_with_the_same_json(tmp_path) -> None:
    import json

    from storyline.store import Store

    doc = [{"id": f"rel_{i}", "kind": "agreement", "note": "é “quoted”", "ids": [i, i + 1]} for i in range(500)]
    with Store(str(tmp_path / "s.db")) as store:
        store.put_corpus("relations", "v", doc)
        store.put_corpus("story_index", "v", {"b": 1, "a": []})
        store.put_corpus("timeline", "v", [])
        store.put_corpus("relations", "v", doc[:3])         # replaced, not appended
        store.commit()
        raw = store.conn.execute("SELECT data FROM corpus WHERE kind='relations'").fetchone()[0]
        assert isinstance(raw, str) and raw == json.dumps(doc[:3], ensure_ascii=False, sort_keys=True)   # TEXT JSON
        assert store.corpus("relations") == doc[:3]
        assert store.corpus("story_index") == {"a": [], "b": 1} and store.corpus("timeline") == []
