"""Evaluate JointBERT on the test split: intent accuracy and slot F1 (seqeval).

evaluation.json: {"intent": {"accuracy": …, "f1": …}, "slot": {"f1": …, "precision": …,
"recall": …}, "semantic_frame_accuracy": …}; the IntentAndSlotCondition step reads
`intent.accuracy` and `slot.f1`.
"""
import argparse
import json
import os
import sys
import tarfile

from seqeval.metrics import f1_score, precision_score, recall_score
from sklearn.metrics import accuracy_score
from sklearn.metrics import f1_score as sk_f1
from transformers import BertTokenizerFast


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", default="/opt/ml/processing/model")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation")
    return parser.parse_args()


def main():
    args = parse_args()
    extracted = os.path.join(args.model_dir, "extracted")
    with tarfile.open(os.path.join(args.model_dir, "model.tar.gz")) as tar:
        tar.extractall(extracted, filter="data")
    sys.path.insert(0, os.path.join(extracted, "code"))
    from model import JointBERT, predict  # shipped in the model by train.py

    with open(os.path.join(extracted, "intent_label.txt"), encoding="utf-8") as f:
        intents = [x.strip() for x in f if x.strip()]
    with open(os.path.join(extracted, "slot_label.txt"), encoding="utf-8") as f:
        slots = [x.strip() for x in f if x.strip()]
    model = JointBERT.from_pretrained(extracted, num_intents=len(intents), num_slots=len(slots))
    tokenizer = BertTokenizerFast.from_pretrained(extracted)

    def lines(name):
        with open(os.path.join(args.test_dir, name), encoding="utf-8") as f:
            return [x.rstrip("\n") for x in f]

    questions = ["".join(x.split()) for x in lines("seq.in")]
    gold_tags = [x.split() for x in lines("seq.out")]
    gold_intents = lines("label")
    predictions = predict(model, tokenizer, questions, intents, slots)
    pred_intents = [p["intent"] for p in predictions]
    pred_tags = [p["slots"] for p in predictions]
    frame = sum(pi == gi and pt == gt for pi, gi, pt, gt in zip(pred_intents, gold_intents, pred_tags, gold_tags))

    report = {
        "intent": {
            "accuracy": accuracy_score(gold_intents, pred_intents),
            "f1": sk_f1(gold_intents, pred_intents, average="weighted"),
        },
        "slot": {
            "f1": f1_score(gold_tags, pred_tags),
            "precision": precision_score(gold_tags, pred_tags),
            "recall": recall_score(gold_tags, pred_tags),
        },
        "semantic_frame_accuracy": frame / max(1, len(questions)),
    }
    print(json.dumps(report, indent=2))
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "evaluation.json"), "w") as f:
        json.dump(report, f, indent=2)


if __name__ == "__main__":
    main()
