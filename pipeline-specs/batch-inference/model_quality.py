"""Model quality check of a batch inference run against ground truth, when it is available.

Compares the predictions with the ground-truth labels (headerless, target only, same row
order) and writes model_quality.json. Exits non-zero when MSE exceeds the threshold, so the
step fails and the EventBridge rule starts the training-with-HPO pipeline, as in the sample.
"""
import argparse
import glob
import json
import os
import sys

import numpy as np
import pandas as pd


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--predictions-dir", default="/opt/ml/processing/input/predictions")
    parser.add_argument("--ground-truth-dir", default="/opt/ml/processing/input/ground_truth")
    parser.add_argument("--output-dir", default="/opt/ml/processing/output")
    parser.add_argument("--mse-threshold", type=float, required=True)
    args = parser.parse_args()

    truth_files = sorted(glob.glob(os.path.join(args.ground_truth_dir, "*.csv")))
    os.makedirs(args.output_dir, exist_ok=True)
    if not truth_files:
        print("no ground truth for this run; model quality not checked")
        with open(os.path.join(args.output_dir, "model_quality.json"), "w") as f:
            json.dump({"ground_truth_available": False}, f)
        return
    truth = pd.concat(pd.read_csv(f, header=None) for f in truth_files).iloc[:, 0].to_numpy()
    predictions = pd.concat(
        pd.read_csv(f, header=None) for f in sorted(glob.glob(os.path.join(args.predictions_dir, "*.out")))
    ).iloc[:, 0].to_numpy()
    errors = predictions - truth
    mse = float(np.mean(errors**2))
    report = {
        "ground_truth_available": True,
        "regression_metrics": {
            "mse": {"value": mse, "standard_deviation": float(np.std(errors**2))},
            "rmse": {"value": float(np.sqrt(mse)), "standard_deviation": float(np.std(errors))},
        },
        "threshold": {"mse": args.mse_threshold},
    }
    with open(os.path.join(args.output_dir, "model_quality.json"), "w") as f:
        json.dump(report, f, indent=2)
    print(json.dumps(report, indent=2))
    if mse > args.mse_threshold:
        sys.exit(f"model quality violation: mse {mse:.4f} > threshold {args.mse_threshold}")


if __name__ == "__main__":
    main()
