"""Turn the shared Timeline17 dev collections into ordinary news JSONL (``text``, ``published``, ``outlet``, ``title``).

T17 texts are Penn-Treebank tokenised (``-LRB-``, ````` ``, ``do n't``, spaces before punctuation) and the first line
often runs the headline into the body. A reader would undo that before analysing, so this does it once, reversibly
enough for reading: brackets and quotes restored, clitics and punctuation re-attached. The outlet comes from the
collection name (``H1N1_bbc`` → ``BBC``).

    .venv/bin/python benchmarks/t17_corpus.py --out out/t17/h1n1.jsonl H1N1_bbc H1N1_guardian H1N1_reuters
    .venv/bin/python benchmarks/t17_corpus.py --out out/t17/all.jsonl        # all five collections
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

T17 = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "t17_dev"
OUTLETS = {"bbc": "BBC", "guardian": "The Guardian", "reuters": "Reuters", "cnn": "CNN"}
_TOKENS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}


def detokenise(text: str) -> str:
    """Penn-Treebank tokens back to ordinary text, line by line."""
    lines = []
    for line in text.split("\n"):
        s = " ".join(_TOKENS.get(t, t) for t in line.split())
        s = re.sub(r"``\s*", "\u201c", s)
        s = re.sub(r"\s*''", "\u201d", s)
        s = re.sub(r"([(\[{])\s+", r"\1", s)
        s = re.sub(r"\s+([)\]}])", r"\1", s)
        s = re.sub(r"\s+([.,;:!?%])", r"\1", s)
        s = re.sub(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", s, flags=re.IGNORECASE)
        s = re.sub(r"\$\s+(?=\d)", "$", s)
        s = re.sub(r"\s+'\s", "' ", s)
        lines.append(s.strip())
    return "\n\n".join(x for x in lines if x)


def records(collection: str) -> list[dict[str, str]]:
    outlet = OUTLETS.get(collection.rsplit("_", 1)[-1].lower(), collection)
    out = []
    with open(T17 / collection / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            out.append({"id": f"{collection}-{row['id']}", "text": detokenise(row["text"]),
                        "published": row["time"], "outlet": outlet, "collection": collection})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("collections", nargs="*", help="collection folders (default: all five)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    names = args.collections or sorted(p.name for p in T17.iterdir() if (p / "articles.jsonl").exists())
    rows = [r for c in names for r in records(c)]
    rows.sort(key=lambda r: (r["published"], r["id"]))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} articles from {', '.join(names)} -> {args.out}")


if __name__ == "__main__":
    main()
