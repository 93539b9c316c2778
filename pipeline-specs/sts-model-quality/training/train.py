"""scikit-learn script-mode training for the STS paraphrase classifier.

Runs in the SageMaker scikit-learn container: hyperparameters as --key value, channels as
SM_CHANNEL_TRAIN / SM_CHANNEL_VALIDATION, model saved to SM_MODEL_DIR. The same file is the
serving entry point (model_fn/input_fn/predict_fn/output_fn), so the endpoint answers
`prediction,probability` per CSV row for the model-quality monitor.
"""
import argparse
import glob
import io
import os

import joblib
import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def read_channel(directory):
    files = sorted(glob.glob(os.path.join(directory, "*.csv")))
    df = pd.concat(pd.read_csv(f, header=None) for f in files)
    return df.iloc[:, 1:].to_numpy(), df.iloc[:, 0].to_numpy()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-estimators", type=int, default=200)
    parser.add_argument("--max-depth", type=int, default=3)
    parser.add_argument("--learning-rate", type=float, default=0.1)
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR"))
    parser.add_argument("--train", default=os.environ.get("SM_CHANNEL_TRAIN"))
    parser.add_argument("--validation", default=os.environ.get("SM_CHANNEL_VALIDATION"))
    args = parser.parse_args()

    x_train, y_train = read_channel(args.train)
    model = make_pipeline(
        StandardScaler(),
        GradientBoostingClassifier(
            n_estimators=args.n_estimators, max_depth=args.max_depth, learning_rate=args.learning_rate, random_state=0
        ),
    )
    model.fit(x_train, y_train)
    if args.validation:
        x_val, y_val = read_channel(args.validation)
        probability = model.predict_proba(x_val)[:, 1]
        # Matched by the estimator's metric definitions.
        print(f"validation:accuracy={accuracy_score(y_val, probability > 0.5):.4f}")
        print(f"validation:f1={f1_score(y_val, probability > 0.5):.4f}")
        print(f"validation:auc={roc_auc_score(y_val, probability):.4f}")
    joblib.dump(model, os.path.join(args.model_dir, "model.joblib"))


def model_fn(model_dir):
    return joblib.load(os.path.join(model_dir, "model.joblib"))


def input_fn(request_body, request_content_type):
    if request_content_type != "text/csv":
        raise ValueError(f"unsupported content type {request_content_type}")
    if isinstance(request_body, bytes):
        request_body = request_body.decode("utf-8")
    return pd.read_csv(io.StringIO(request_body), header=None).to_numpy()


def predict_fn(input_data, model):
    probability = model.predict_proba(input_data)[:, 1]
    return np.column_stack([(probability > 0.5).astype(int), probability])


def output_fn(prediction, accept):
    return "\n".join(f"{int(label)},{p:.6f}" for label, p in prediction), "text/csv"


if __name__ == "__main__":
    main()
