"""SageMaker PyTorch serving handlers for JointBERT (real-time endpoint behind the QA Lambda).

Request: {"question": "三度诱惑的导演是谁"} or {"questions": [...]}; response: intent and BIO slots.
"""
import json
import os

import torch
from transformers import BertTokenizerFast

from model import JointBERT, predict


def model_fn(model_dir):
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    with open(os.path.join(model_dir, "intent_label.txt"), encoding="utf-8") as f:
        intent_labels = [x.strip() for x in f if x.strip()]
    with open(os.path.join(model_dir, "slot_label.txt"), encoding="utf-8") as f:
        slot_labels = [x.strip() for x in f if x.strip()]
    model = JointBERT.from_pretrained(model_dir, num_intents=len(intent_labels), num_slots=len(slot_labels)).to(device)
    tokenizer = BertTokenizerFast.from_pretrained(model_dir)
    return {"model": model, "tokenizer": tokenizer, "intents": intent_labels, "slots": slot_labels, "device": device}


def input_fn(request_body, content_type="application/json"):
    if content_type != "application/json":
        raise ValueError(f"unsupported content type {content_type}")
    body = json.loads(request_body)
    return body["questions"] if "questions" in body else [body["question"]]


def predict_fn(questions, artifacts):
    return predict(artifacts["model"], artifacts["tokenizer"], questions, artifacts["intents"],
                   artifacts["slots"], device=artifacts["device"])


def output_fn(predictions, accept="application/json"):
    # `predicted_label` is the inference attribute the model-quality monitor reads.
    return json.dumps([{**p, "predicted_label": p["intent"]} for p in predictions], ensure_ascii=False)
