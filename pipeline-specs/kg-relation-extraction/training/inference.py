"""TorchServe/SageMaker PyTorch handlers for the relation extraction model (batch transform).

Input: JSON lines {"text": ...}; output: JSON lines {"text": ..., "spo_list": [[s, p, o], ...]}.
"""
import json
import os

import torch

from model import CasRel, decode

MAX_LEN = 256


def model_fn(model_dir):
    with open(os.path.join(model_dir, "config.json")) as f:
        config = json.load(f)
    with open(os.path.join(model_dir, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    with open(os.path.join(model_dir, "schemas.json"), encoding="utf-8") as f:
        predicates = json.load(f)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = CasRel(config["vocab_size"], config["num_predicates"]).to(device)
    model.load_state_dict(torch.load(os.path.join(model_dir, "model.pth"), map_location=device))
    model.eval()
    return {"model": model, "char_index": {c: i for i, c in enumerate(vocab)}, "predicates": predicates, "device": device}


def input_fn(request_body, content_type="application/jsonlines"):
    if isinstance(request_body, bytes):
        request_body = request_body.decode("utf-8")
    if content_type in ("application/jsonlines", "application/json"):
        return [json.loads(line)["text"] for line in request_body.splitlines() if line.strip()]
    if content_type == "text/plain":
        return [line for line in request_body.splitlines() if line.strip()]
    raise ValueError(f"unsupported content type {content_type}")


def predict_fn(texts, artifacts):
    results = []
    with torch.no_grad():
        for text in texts:
            text = text[:MAX_LEN]
            tokens = torch.tensor([[artifacts["char_index"].get(ch, 1) for ch in text]], device=artifacts["device"])
            triplets = decode(artifacts["model"], tokens, text, artifacts["predicates"])
            results.append({"text": text, "spo_list": sorted(list(t) for t in triplets)})
    return results


def output_fn(predictions, accept="application/jsonlines"):
    return "\n".join(json.dumps(p, ensure_ascii=False) for p in predictions) + "\n"
