"""Evaluate the best model of the tuning job on the test split (AWS abalone evaluate.py).

Writes evaluation.json as {"regression_metrics": {"mse": {"value": …, "standard_deviation": …},
"rmse": {…}}}; the condition step reads regression_metrics.mse.value.
"""
import argparse
import json
import logging
import os
import pickle
import tarfile

import numpy as np
import pandas as pd
import xgboost
from sklearn.metrics import mean_squared_error

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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", default="/opt/ml/processing/model")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation")
    args = parser.parse_args()

    extract_model(os.path.join(args.model_dir, "model.tar.gz"), ".")
    # The built-in XGBoost algorithm saves the booster as "xgboost-model" (pickled in 1.x, JSON/UBJ since 1.7).
    try:
        with open("xgboost-model", "rb") as f:
            booster = pickle.load(f)
    except pickle.UnpicklingError:
        booster = xgboost.Booster()
        booster.load_model("xgboost-model")

    df = pd.read_csv(os.path.join(args.test_dir, "test.csv"), header=None)
    y_test = df.iloc[:, 0].to_numpy()
    predictions = booster.predict(xgboost.DMatrix(df.iloc[:, 1:].to_numpy()))
    mse = mean_squared_error(y_test, predictions)
    std = float(np.std(y_test - predictions))
    report = {
        "regression_metrics": {
            "mse": {"value": float(mse), "standard_deviation": std},
            "rmse": {"value": float(np.sqrt(mse)), "standard_deviation": std},
        }
    }
    logger.info("test mse %.4f", mse)
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "evaluation.json"), "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
