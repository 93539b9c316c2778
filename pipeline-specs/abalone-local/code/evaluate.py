"""Evaluation for the local abalone pipeline (SageMaker processing job contract).

Unpacks model.tar.gz from the training step, scores the held-out test split and writes
evaluation.json in the shape of the AWS abalone example:
{"regression_metrics": {"mse": {"value": ..., "standard_deviation": ...}}}.
Standard library only.
"""
import argparse
import csv
import glob
import json
import math
import os
import statistics
import sys
import tarfile
import tempfile


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", default="/opt/ml/processing/model")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation")
    return parser.parse_args()


def extract_model(model_dir, into):
    archive = os.path.join(model_dir, "model.tar.gz")
    if os.path.exists(archive):
        with tarfile.open(archive) as tar:
            # Only plain files and directories with relative names: the archive is job output,
            # but a crafted one must not write outside the scratch directory.
            members = [
                m for m in tar.getmembers()
                if (m.isfile() or m.isdir()) and not os.path.isabs(m.name) and ".." not in m.name.split("/")
            ]
            # Python 3.12+ also applies its "data" filter (refuses links and special files).
            extra = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(into, members=members, **extra)
        return into
    return model_dir  # already unpacked (e.g. when run by hand on a model directory)


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        model_dir = extract_model(args.model_dir, scratch)
        sys.path.insert(0, model_dir)
        import inference  # shipped inside the model by train.py

        model = inference.model_fn(model_dir)
        targets, rows = [], []
        for path in sorted(glob.glob(os.path.join(args.test_dir, "*.csv"))):
            with open(path, newline="") as f:
                for record in csv.reader(f):
                    if record:
                        targets.append(float(record[0]))
                        rows.append(record[1:])
        if not rows:
            raise SystemExit(f"no test rows in {args.test_dir}")
        predictions = inference.predict_fn(rows, model)

    squared_errors = [(p - y) ** 2 for p, y in zip(predictions, targets)]
    mse = statistics.fmean(squared_errors)
    std = statistics.pstdev(squared_errors)
    if not math.isfinite(mse):
        raise SystemExit("evaluation produced a non-finite MSE")
    report = {
        "regression_metrics": {
            "mse": {"value": mse, "standard_deviation": std},
            "rmse": {"value": math.sqrt(mse), "standard_deviation": 0.0},
        }
    }
    os.makedirs(args.output_dir, exist_ok=True)
    path = os.path.join(args.output_dir, "evaluation.json")
    with open(path, "w") as f:
        json.dump(report, f, indent=2, sort_keys=True)
    print(f"test:mse={mse:.6f} rows={len(rows)}; wrote {path}")


if __name__ == "__main__":
    main()
