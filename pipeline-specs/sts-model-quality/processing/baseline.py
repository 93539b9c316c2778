"""Build the model-quality baseline dataset (seed: sts/baseline.py).

Scores the validation split with the trained model and writes a CSV with a header and the
columns the ModelQualityMonitor baselining job reads: `label` (ground truth), `prediction`
(inference attribute) and `probability` (probability attribute).
"""
import argparse
import os
import tarfile

import joblib
import pandas as pd


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", default="/opt/ml/processing/model")
    parser.add_argument("--data-dir", default="/opt/ml/processing/validation")
    parser.add_argument("--output-dir", default="/opt/ml/processing/baseline")
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()

    with tarfile.open(os.path.join(args.model_dir, "model.tar.gz")) as tar:
        tar.extractall(args.model_dir, filter="data")
    model = joblib.load(os.path.join(args.model_dir, "model.joblib"))
    df = pd.read_csv(os.path.join(args.data_dir, "validation.csv"), header=None)
    probability = model.predict_proba(df.iloc[:, 1:].to_numpy())[:, 1]
    baseline = pd.DataFrame(
        {
            "label": df.iloc[:, 0].astype(int),
            "prediction": (probability > args.threshold).astype(int),
            "probability": probability.round(6),
        }
    )
    os.makedirs(args.output_dir, exist_ok=True)
    baseline.to_csv(os.path.join(args.output_dir, "baseline.csv"), index=False)
    print(f"baseline dataset: {len(baseline)} rows, accuracy {(baseline.label == baseline.prediction).mean():.4f}")


if __name__ == "__main__":
    main()
