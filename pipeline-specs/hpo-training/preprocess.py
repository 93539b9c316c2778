"""Preprocessing for the training-with-HPO pipeline (abalone, as in the GitLab + Terraform batch MLOps sample).

Reads headerless training data (features and target in the original column order), imputes and
scales the numeric features, one-hot encodes `sex`, and writes headerless train/validation/test
CSVs with the target first (the layout the built-in XGBoost algorithm expects). The fitted
transformer is saved so the batch inference pipeline applies exactly the same transformation,
and the training split with a header becomes the data-quality baseline dataset.
"""
import argparse
import glob
import logging
import os

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)

FEATURES = ["sex", "length", "diameter", "height", "whole_weight", "shucked_weight", "viscera_weight", "shell_weight"]
TARGET = "rings"
BASE = "/opt/ml/processing"


def build_preprocessor():
    numeric = FEATURES[1:]
    return ColumnTransformer(
        [
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            ("cat", make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"),
                                  OneHotEncoder(handle_unknown="ignore")), ["sex"]),
        ]
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input-dir", default=f"{BASE}/input")
    parser.add_argument("--output-dir", default=BASE)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    files = sorted(glob.glob(os.path.join(args.input_dir, "*.csv")))
    df = pd.concat(pd.read_csv(f, header=None, names=FEATURES + [TARGET]) for f in files)
    logger.info("read %d rows from %d files", len(df), len(files))

    y = df.pop(TARGET).to_numpy()
    preprocessor = build_preprocessor()
    x = preprocessor.fit_transform(df)
    data = np.concatenate([y.reshape(-1, 1), x], axis=1)
    np.random.default_rng(args.seed).shuffle(data)
    train, validation, test = np.split(data, [int(0.7 * len(data)), int(0.85 * len(data))])

    for name, split in (("train", train), ("validation", validation), ("test", test)):
        os.makedirs(f"{args.output_dir}/{name}", exist_ok=True)
        pd.DataFrame(split).to_csv(f"{args.output_dir}/{name}/{name}.csv", header=False, index=False)
    os.makedirs(f"{args.output_dir}/baseline", exist_ok=True)
    # Data-quality baseline: Model Monitor assumes the output column comes first, so the target
    # leads, named like the prediction column of the batch inference pipeline's check input.
    columns = [TARGET] + [f"feature_{i}" for i in range(x.shape[1])]
    pd.DataFrame(train, columns=columns).to_csv(f"{args.output_dir}/baseline/baseline.csv", index=False)
    os.makedirs(f"{args.output_dir}/preprocessor", exist_ok=True)
    joblib.dump(preprocessor, f"{args.output_dir}/preprocessor/preprocessor.joblib")


if __name__ == "__main__":
    main()
