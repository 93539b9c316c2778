"""Evaluation of the relation extraction model on the held-out test split.

Writes evaluation.json with top-level `f1`, `precision` and `recall` (the condition step reads
`f1` with JsonGet, as `json_path="f1"` in the seed) plus the same numbers in the
SageMaker model-metrics layout for the model registry.
"""
import argparse
import json
import logging
import os
import sys
import tarfile

import torch

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)


def extract_model(archive, into):
    """Unpacks model.tar.gz, refusing members that would land outside `into`."""
    with tarfile.open(archive) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.8.17+/3.9.17+/3.10.12+/3.11.4+
            tar.extractall(into, filter="data")
            return
        root = os.path.realpath(into)
        for member in tar.getmembers():
            target = os.path.realpath(os.path.join(into, member.name))
            if not (member.isfile() or member.isdir()) or os.path.commonpath([root, target]) != root:
                raise ValueError(f"unsafe member in {archive}: {member.name}")
        tar.extractall(into)


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", default="/opt/ml/processing/model")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation")
    parser.add_argument("--threshold", type=float, default=0.5)
    return parser.parse_args()


def main():
    args = parse_args()
    extracted = os.path.join(args.model_dir, "extracted")
    extract_model(os.path.join(args.model_dir, "model.tar.gz"), extracted)
    sys.path.insert(0, os.path.join(extracted, "code"))
    from model import CasRel, decode, precision_recall_f1  # shipped in the model by train.py

    with open(os.path.join(extracted, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(extracted, "vocab.json"), encoding="utf-8") as f:
        char_index = {c: i for i, c in enumerate(json.load(f))}
    with open(os.path.join(extracted, "schemas.json"), encoding="utf-8") as f:
        predicates = json.load(f)
    model = CasRel(config["vocab_size"], config["num_predicates"])
    model.load_state_dict(torch.load(os.path.join(extracted, "model.pth"), map_location="cpu"))
    model.eval()

    predicted, gold = [], []
    with open(os.path.join(args.test_dir, "test.json"), encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    with torch.no_grad():
        for record in records:
            text = record["text"][:256]
            tokens = torch.tensor([[char_index.get(ch, 1) for ch in text]])
            predicted.append(decode(model, tokens, text, predicates, args.threshold))
            gold.append({(t["subject"], t["predicate"], t["object"]) for t in record["spo_list"]})
    precision, recall, f1 = precision_recall_f1(predicted, gold)
    logger.info("test f1 %.4f precision %.4f recall %.4f on %d sentences", f1, precision, recall, len(records))

    report = {
        "f1": f1,
        "precision": precision,
        "recall": recall,
        "metrics": {
            "f1": {"value": f1},
            "precision": {"value": precision},
            "recall": {"value": recall},
        },
    }
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "evaluation.json"), "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
