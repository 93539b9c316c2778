"""Preprocess inference data for the batch inference pipeline (GitLab + Terraform batch MLOps sample).

Applies the transformer fitted by the training pipeline to the raw, headerless inference data
(features only, original column order), and writes headerless CSV for the batch transform.
"""
import argparse
import glob
import logging
import os

import joblib
import pandas as pd

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)

FEATURES = ["sex", "length", "diameter", "height", "whole_weight", "shucked_weight", "viscera_weight", "shell_weight"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input-dir", default="/opt/ml/processing/input")
    parser.add_argument("--preprocessor-dir", default="/opt/ml/processing/preprocessor")
    parser.add_argument("--output-dir", default="/opt/ml/processing/output")
    args = parser.parse_args()

    preprocessor = joblib.load(os.path.join(args.preprocessor_dir, "preprocessor.joblib"))
    files = sorted(glob.glob(os.path.join(args.input_dir, "*.csv")))
    df = pd.concat(pd.read_csv(f, header=None, names=FEATURES) for f in files)
    features = pd.DataFrame(preprocessor.transform(df))
    os.makedirs(args.output_dir, exist_ok=True)
    features.to_csv(os.path.join(args.output_dir, "inference.csv"), header=False, index=False)
    logger.info("wrote %d rows for the batch transform", len(features))


if __name__ == "__main__":
    main()
