"""Join the transform's inputs and predictions into one CSV for the data-quality check.

Model Monitor's data-quality analysis assumes the prediction columns come first, so each row
is `rings,<features…>` (the predicted rings first), with the header of the training pipeline's
baseline dataset so the columns line up with the baseline statistics.
"""
import argparse
import glob
import os

import pandas as pd


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input-dir", default="/opt/ml/processing/input/data")
    parser.add_argument("--predictions-dir", default="/opt/ml/processing/input/predictions")
    parser.add_argument("--output-dir", default="/opt/ml/processing/output")
    args = parser.parse_args()

    features = pd.read_csv(os.path.join(args.input_dir, "inference.csv"), header=None)
    # Batch transform writes <input file>.out next to each input file name.
    prediction_files = sorted(glob.glob(os.path.join(args.predictions_dir, "*.out")))
    predictions = pd.concat(pd.read_csv(f, header=None) for f in prediction_files)
    if len(predictions) != len(features):
        raise ValueError(f"{len(predictions)} predictions for {len(features)} input rows")
    features.columns = [f"feature_{i}" for i in range(features.shape[1])]
    features.insert(0, "rings", predictions.iloc[:, 0].to_numpy())
    os.makedirs(args.output_dir, exist_ok=True)
    features.to_csv(os.path.join(args.output_dir, "data-quality-input.csv"), index=False)


if __name__ == "__main__":
    main()
