"""Evaluate JointBERT on the test split: intent accuracy and entity-level slot F1.

evaluation.json: {"intent": {"accuracy": …}, "slot": {"f1": …, "precision": …,
"recall": …}, "semantic_frame_accuracy": …}; the IntentAndSlotCondition step reads
`intent.accuracy` and `slot.f1`. Also writes the model-quality baseline dataset
(baseline_dataset.json: seq_in, predicted_label, label), as the seed builds it by hand.
"""
import argparse
import json
import os
import sys
import tarfile

from transformers import BertTokenizerFast


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


def spans(tags):
    """(type, start, end) chunks of a BIO sequence, as seqeval's default (conlleval) mode reads them."""
    chunks, start, kind = set(), None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, label = tag.partition("-")
        if start is not None and (prefix != "I" or label != kind):
            chunks.add((kind, start, i))
            start, kind = None, None
        if prefix == "B" or (prefix == "I" and start is None):
            start, kind = i, label
    return chunks


def slot_scores(gold, predicted):
    """Entity-level micro precision/recall/F1 (seqeval is not in the Hugging Face image)."""
    correct = n_gold = n_pred = 0
    for g, p in zip(gold, predicted):
        g, p = spans(g), spans(p)
        correct += len(g & p)
        n_gold += len(g)
        n_pred += len(p)
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", default="/opt/ml/processing/model")
    parser.add_argument("--test-dir", default="/opt/ml/processing/test")
    parser.add_argument("--output-dir", default="/opt/ml/processing/evaluation")
    parser.add_argument("--baseline-dir", default="/opt/ml/processing/baseline")
    return parser.parse_args()


def main():
    args = parse_args()
    extracted = os.path.join(args.model_dir, "extracted")
    extract_model(os.path.join(args.model_dir, "model.tar.gz"), extracted)
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

    precision, recall, f1 = slot_scores(gold_tags, pred_tags)
    intent_accuracy = sum(p == g for p, g in zip(pred_intents, gold_intents)) / max(1, len(gold_intents))
    report = {
        "intent": {"accuracy": intent_accuracy},
        "slot": {"f1": f1, "precision": precision, "recall": recall},
        "semantic_frame_accuracy": frame / max(1, len(questions)),
    }
    print(json.dumps(report, indent=2))
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "evaluation.json"), "w") as f:
        json.dump(report, f, indent=2)

    # Baseline dataset for the model-quality monitor (the seed's baseline_dataset.json): one JSON
    # object per line with the question, the predicted intent and the true intent.
    os.makedirs(args.baseline_dir, exist_ok=True)
    with open(os.path.join(args.baseline_dir, "baseline_dataset.json"), "w", encoding="utf-8") as f:
        for question, predicted, label in zip(questions, pred_intents, gold_intents):
            f.write(json.dumps({"seq_in": question, "predicted_label": predicted, "label": label}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
