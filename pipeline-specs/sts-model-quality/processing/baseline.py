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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", default="/opt/ml/processing/model")
    parser.add_argument("--data-dir", default="/opt/ml/processing/validation")
    parser.add_argument("--output-dir", default="/opt/ml/processing/baseline")
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()

    extract_model(os.path.join(args.model_dir, "model.tar.gz"), args.model_dir)
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
