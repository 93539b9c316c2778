"""Script-mode training entry point for the local abalone pipeline.

Follows the SageMaker training toolkit contract: hyperparameters arrive as `--key value`
arguments, channels as SM_CHANNEL_<NAME> directories, and everything written to SM_MODEL_DIR
becomes model.tar.gz. The model is a linear regression fitted by mini-batch gradient descent
with L2 regularisation; standard library only.
"""
import argparse
import csv
import glob
import json
import math
import os
import random
import shutil


def parse_args():
    parser = argparse.ArgumentParser()
    # Hyperparameters (the toolkit passes them as --key value strings).
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--learning-rate", type=float, default=0.05)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--l2", type=float, default=0.001)
    parser.add_argument("--seed", type=int, default=7)
    # Container contract.
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR", "/opt/ml/model"))
    parser.add_argument("--train", default=os.environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train"))
    parser.add_argument("--validation", default=os.environ.get("SM_CHANNEL_VALIDATION"))
    # Unknown arguments are ignored, as the toolkit may add its own.
    args, _ = parser.parse_known_args()
    return args


def load_csv_dir(directory):
    """Rows of every CSV in a channel: target first, then the features."""
    targets, rows = [], []
    for path in sorted(glob.glob(os.path.join(directory, "*.csv"))):
        with open(path, newline="") as f:
            for record in csv.reader(f):
                if record:
                    targets.append(float(record[0]))
                    rows.append([float(v) for v in record[1:]])
    if not rows:
        raise SystemExit(f"no training rows in {directory}")
    return rows, targets


def predict(weights, bias, x):
    return bias + sum(w * v for w, v in zip(weights, x))


def mse(weights, bias, rows, targets):
    return sum((predict(weights, bias, x) - y) ** 2 for x, y in zip(rows, targets)) / len(rows)


def fit(rows, targets, args):
    rng = random.Random(args.seed)
    n_features = len(rows[0])
    weights = [0.0] * n_features
    bias = sum(targets) / len(targets)
    order = list(range(len(rows)))
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(order)
        for start in range(0, len(order), args.batch_size):
            batch = order[start : start + args.batch_size]
            grad_w = [0.0] * n_features
            grad_b = 0.0
            for i in batch:
                error = predict(weights, bias, rows[i]) - targets[i]
                grad_b += error
                for j, v in enumerate(rows[i]):
                    grad_w[j] += error * v
            scale = 2.0 / len(batch)
            for j in range(n_features):
                weights[j] -= args.learning_rate * (scale * grad_w[j] + 2.0 * args.l2 * weights[j])
            bias -= args.learning_rate * scale * grad_b
        if epoch % 50 == 0 or epoch == args.epochs:
            print(f"epoch={epoch} train:mse={mse(weights, bias, rows, targets):.6f}")
    return weights, bias


def main():
    args = parse_args()
    rows, targets = load_csv_dir(args.train)
    weights, bias = fit(rows, targets, args)
    if not all(math.isfinite(w) for w in weights + [bias]):
        raise SystemExit("training diverged; lower --learning-rate")

    # Printed in the format the spec's metric definitions match.
    print(f"train:mse={mse(weights, bias, rows, targets):.6f}")
    if args.validation and os.path.isdir(args.validation):
        v_rows, v_targets = load_csv_dir(args.validation)
        print(f"validation:mse={mse(weights, bias, v_rows, v_targets):.6f}")

    os.makedirs(args.model_dir, exist_ok=True)
    model = {
        "type": "linear-regression",
        "target": "rings",
        "weights": weights,
        "bias": bias,
        "hyperparameters": {
            "epochs": args.epochs,
            "learning_rate": args.learning_rate,
            "batch_size": args.batch_size,
            "l2": args.l2,
            "seed": args.seed,
        },
    }
    preprocessing = os.path.join(args.train, "preprocessing.json")
    if os.path.exists(preprocessing):
        with open(preprocessing) as f:
            model["preprocessing"] = json.load(f)
    with open(os.path.join(args.model_dir, "model.json"), "w") as f:
        json.dump(model, f, indent=2, sort_keys=True)

    # Serving code travels inside the model: under code/, where the serving containers (SageMaker's
    # and the kit's local one) look for it, and at the top, where evaluate.py imports it.
    here = os.path.dirname(os.path.abspath(__file__))
    shutil.copy(os.path.join(here, "inference.py"), os.path.join(args.model_dir, "inference.py"))
    os.makedirs(os.path.join(args.model_dir, "code"), exist_ok=True)
    shutil.copy(os.path.join(here, "inference.py"), os.path.join(args.model_dir, "code", "inference.py"))
    print(f"saved model to {args.model_dir}")


if __name__ == "__main__":
    main()
