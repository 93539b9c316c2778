"""Preprocessing for knowledge-graph relation extraction (DuIE 2.0, Baidu).

Reproduces `pipelines/kg/preprocess.py` of the knowledge-graph dialogue seed: unzip the raw
DuIE_2_0.zip, keep each sentence with its (subject, predicate, object) triplets, build the
character vocabulary and the predicate schema, and split into train/dev/test. The sentences
without labels are also written for the batch transform that populates the graph.
"""
import argparse
import json
import logging
import os
import random
import zipfile
from collections import Counter

import pandas as pd

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)

BASE = "/opt/ml/processing/ie"


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input-data", default=f"{BASE}/data/raw")
    parser.add_argument("--output-dir", default=f"{BASE}/data")
    parser.add_argument("--min-char-count", type=int, default=2)
    parser.add_argument("--test-ratio", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=2021)
    return parser.parse_args()


def read_duie(zip_path):
    """Yields records of the DuIE train and dev files inside the archive."""
    with zipfile.ZipFile(zip_path) as archive:
        for name in archive.namelist():
            if not name.endswith(".json") or "schema" in name or "test" in name:
                continue
            with archive.open(name) as f:
                for line in f:
                    line = line.decode("utf-8").strip()
                    if line:
                        yield name, json.loads(line)


def simplify(record):
    """Keeps the text and (subject, predicate, object) triplets; drops DuIE's extra fields."""
    triplets = []
    for spo in record.get("spo_list", []):
        obj = spo["object"]
        obj = obj.get("@value") if isinstance(obj, dict) else obj
        triplets.append(
            {
                "subject": spo["subject"],
                "subject_type": spo.get("subject_type", ""),
                "predicate": spo["predicate"],
                "object": obj,
                "object_type": (spo.get("object_type") or {}).get("@value", ""),
            }
        )
    return {"text": record["text"], "spo_list": triplets}


def write_jsonl(path, records):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    logger.info("wrote %d records to %s", len(records), path)


def main():
    args = parse_args()
    zip_path = os.path.join(args.input_data, "DuIE_2_0.zip")
    train_records, dev_records = [], []
    for name, record in read_duie(zip_path):
        (dev_records if "dev" in name else train_records).append(simplify(record))
    logger.info("read %d train and %d dev records", len(train_records), len(dev_records))

    random.Random(args.seed).shuffle(train_records)
    n_test = int(len(train_records) * args.test_ratio)
    test_records, train_records = train_records[:n_test], train_records[n_test:]

    chars = Counter(ch for r in train_records for ch in r["text"])
    vocab = ["<pad>", "<unk>"] + sorted(c for c, n in chars.items() if n >= args.min_char_count)
    predicates = sorted({t["predicate"] for r in train_records for t in r["spo_list"]})
    stats = pd.DataFrame(
        [{"split": s, "records": len(r), "triplets": sum(len(x["spo_list"]) for x in r)}
         for s, r in (("train", train_records), ("dev", dev_records), ("test", test_records))]
    )
    logger.info("\n%s", stats.to_string(index=False))

    out = args.output_dir
    write_jsonl(f"{out}/train/train.json", train_records)
    write_jsonl(f"{out}/train/dev.json", dev_records)
    write_jsonl(f"{out}/test/test.json", test_records)
    for directory in (f"{out}/train", f"{out}/test"):
        with open(f"{directory}/vocab.json", "w", encoding="utf-8") as f:
            json.dump(vocab, f, ensure_ascii=False)
        with open(f"{directory}/schemas.json", "w", encoding="utf-8") as f:
            json.dump(predicates, f, ensure_ascii=False)
    # Unlabelled sentences for the batch transform (one JSON object per line).
    write_jsonl(
        f"{out}/transform/sentences.jsonl",
        [{"text": r["text"]} for r in train_records + dev_records + test_records],
    )


if __name__ == "__main__":
    main()
