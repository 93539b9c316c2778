"""Preprocessing for the local abalone pipeline (SageMaker processing job contract).

Reads the headerless abalone CSV from the processing input, one-hot encodes `sex`, standardises
the numeric features with statistics from the training split only, and writes headerless
train/validation/test CSVs with the target (rings) in the first column, as the AWS abalone
example does. Standard library only, so the local backend runs it with a plain python3.
"""
import argparse
import csv
import glob
import json
import os
import random
import statistics

COLUMNS = [
    "sex",
    "length",
    "diameter",
    "height",
    "whole_weight",
    "shucked_weight",
    "viscera_weight",
    "shell_weight",
    "rings",
]
NUMERIC = COLUMNS[1:-1]
SEXES = ["F", "I", "M"]
SPLIT_SEED = 42


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input-dir", default="/opt/ml/processing/input")
    parser.add_argument("--train-dir", default="/opt/ml/processing/train")
    parser.add_argument("--validation-dir", default="/opt/ml/processing/validation")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test")
    parser.add_argument("--train-ratio", type=float, default=0.7)
    parser.add_argument("--validation-ratio", type=float, default=0.15)
    return parser.parse_args()


def read_rows(input_dir):
    files = sorted(glob.glob(os.path.join(input_dir, "*.csv")))
    if not files:
        raise SystemExit(f"no CSV file in {input_dir}")
    rows = []
    for path in files:
        with open(path, newline="") as f:
            for record in csv.reader(f):
                if not record or record[0] not in SEXES:
                    continue  # blank line or header
                rows.append(dict(zip(COLUMNS, record)))
    return rows


def fit_scaler(rows):
    scaler = {}
    for name in NUMERIC:
        values = [float(r[name]) for r in rows]
        std = statistics.pstdev(values)
        scaler[name] = {"mean": statistics.fmean(values), "std": std if std > 0 else 1.0}
    return scaler


def features(row, scaler):
    """The model's input vector: standardised numerics, then the one-hot sex columns."""
    vector = [(float(row[n]) - scaler[n]["mean"]) / scaler[n]["std"] for n in NUMERIC]
    vector.extend(1.0 if row["sex"] == s else 0.0 for s in SEXES)
    return vector


def write_split(directory, name, rows, scaler):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{name}.csv")
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for row in rows:
            writer.writerow([row["rings"]] + [f"{v:.6f}" for v in features(row, scaler)])
    print(f"wrote {len(rows)} rows to {path}")


def main():
    args = parse_args()
    rows = read_rows(args.input_dir)
    random.Random(SPLIT_SEED).shuffle(rows)
    n_train = int(len(rows) * args.train_ratio)
    n_validation = int(len(rows) * args.validation_ratio)
    train = rows[:n_train]
    validation = rows[n_train : n_train + n_validation]
    test = rows[n_train + n_validation :]

    scaler = fit_scaler(train)
    write_split(args.train_dir, "train", train, scaler)
    write_split(args.validation_dir, "validation", validation, scaler)
    write_split(args.test_dir, "test", test, scaler)

    # The training job copies this into the model so the endpoint accepts raw abalone rows.
    preprocessing = {"numeric": NUMERIC, "sexes": SEXES, "scaler": scaler}
    with open(os.path.join(args.train_dir, "preprocessing.json"), "w") as f:
        json.dump(preprocessing, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main()
