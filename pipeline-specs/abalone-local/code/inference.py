"""Serving handlers for the local abalone model (SageMaker inference toolkit contract).

model_fn loads the model from the model directory; input_fn parses a request body; predict_fn
predicts rings; output_fn serialises the predictions. Standard library only.

Accepted rows (text/csv, one per line, or application/json {"instances": [[...], ...]}):
- raw abalone rows: sex,length,diameter,height,whole_weight,shucked_weight,viscera_weight,shell_weight
- already preprocessed feature vectors as produced by preprocess.py.
"""
import csv
import io
import json
import os


def model_fn(model_dir):
    with open(os.path.join(model_dir, "model.json")) as f:
        return json.load(f)


def input_fn(request_body, request_content_type="text/csv"):
    if isinstance(request_body, (bytes, bytearray)):
        request_body = request_body.decode("utf-8")
    content_type = (request_content_type or "text/csv").split(";")[0].strip()
    if content_type == "text/csv":
        return [row for row in csv.reader(io.StringIO(request_body)) if row]
    if content_type == "application/json":
        body = json.loads(request_body)
        instances = body["instances"] if isinstance(body, dict) else body
        return [[str(v) for v in row] for row in instances]
    raise ValueError(f"unsupported content type: {content_type}")


def _features(row, model):
    preprocessing = model.get("preprocessing")
    if preprocessing and row and row[0].strip() in preprocessing["sexes"]:
        scaler = preprocessing["scaler"]
        values = [float(v) for v in row[1:]]
        if len(values) != len(preprocessing["numeric"]):
            raise ValueError(f"expected {len(preprocessing['numeric']) + 1} raw columns, got {len(row)}")
        vector = [
            (v - scaler[name]["mean"]) / scaler[name]["std"]
            for v, name in zip(values, preprocessing["numeric"])
        ]
        vector.extend(1.0 if row[0].strip() == s else 0.0 for s in preprocessing["sexes"])
        return vector
    vector = [float(v) for v in row]
    if len(vector) != len(model["weights"]):
        raise ValueError(f"expected {len(model['weights'])} features, got {len(vector)}")
    return vector


def predict_fn(input_data, model):
    weights, bias = model["weights"], model["bias"]
    return [bias + sum(w * v for w, v in zip(weights, _features(row, model))) for row in input_data]


def output_fn(prediction, accept="text/csv"):
    accept = (accept or "text/csv").split(";")[0].strip()
    if accept == "application/json":
        return json.dumps({"predictions": prediction}), "application/json"
    return "\n".join(f"{p:.4f}" for p in prediction) + "\n", "text/csv"
