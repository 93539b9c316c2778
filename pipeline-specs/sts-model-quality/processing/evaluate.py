"""Evaluate the STS classifier on the test split (seed: sts/evaluate.py).

evaluation.json follows the model-registry layout for binary classification
({"binary_classification_metrics": {"accuracy": {"value": …, "standard_deviation": …}, …}})
so it can be attached to the model package as ModelQuality statistics.
"""
import argparse
import json
import os
import tarfile

import joblib
import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_score, recall_score, roc_auc_score


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
    return parser.parse_args()


def bootstrap_std(metric, y, p, rounds=200, seed=0):
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(rounds):
        i = rng.integers(0, len(y), len(y))
        values.append(metric(y[i], p[i]))
    return float(np.std(values))


def main():
    args = parse_args()
    extract_model(os.path.join(args.model_dir, "model.tar.gz"), args.model_dir)
    model = joblib.load(os.path.join(args.model_dir, "model.joblib"))
    df = pd.read_csv(os.path.join(args.test_dir, "test.csv"), header=None)
    y, x = df.iloc[:, 0].to_numpy(), df.iloc[:, 1:].to_numpy()
    probability = model.predict_proba(x)[:, 1]
    predicted = (probability > 0.5).astype(int)

    def metric(fn, use_probability=False):
        score = fn(y, probability if use_probability else predicted)
        std = bootstrap_std(lambda a, b: fn(a, (b if use_probability else (b > 0.5).astype(int))), y, probability)
        return {"value": float(score), "standard_deviation": std}

    tn, fp, fn_, tp = confusion_matrix(y, predicted).ravel()
    report = {
        "binary_classification_metrics": {
            "accuracy": metric(accuracy_score),
            "precision": metric(precision_score),
            "recall": metric(recall_score),
            "f1": metric(f1_score),
            "auc": metric(roc_auc_score, use_probability=True),
            "confusion_matrix": {"0": {"0": int(tn), "1": int(fp)}, "1": {"0": int(fn_), "1": int(tp)}},
        }
    }
    print(json.dumps(report, indent=2))
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "evaluation.json"), "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
