"""Preprocessing for question understanding (seed: pipelines/qa/preprocess.py).

Loads the question templates and the labelled natural-language questions, fills templates
with entity names to augment the data, and writes the JointBERT layout per split:
`seq.in` (space-separated characters), `seq.out` (BIO slot tags), `label` (intent): the
training channel (train/train, train/dev and the intent and slot label vocabularies) and the
held-out test split (test/).
"""
import argparse
import json
import logging
import os
import random

import pandas as pd

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input-dir", default="/opt/ml/processing/input")
    parser.add_argument("--output-dir", default="/opt/ml/processing/output")
    parser.add_argument("--augment-per-template", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2021)
    return parser.parse_args()


def tag(question, slots):
    """Character-level BIO tags for `slots` ({slot type: value}) found in `question`."""
    tags = ["O"] * len(question)
    for slot_type, value in slots.items():
        start = question.find(value)
        if start < 0 or not value:
            continue
        tags[start] = f"B-{slot_type}"
        for i in range(start + 1, start + len(value)):
            tags[i] = f"I-{slot_type}"
    return tags


def from_templates(templates, entities, per_template, rng):
    """templates: rows of (intent, template with {slot} placeholders); entities: {slot: [names]}."""
    examples = []
    for intent, template in templates.itertuples(index=False):
        slot_types = [s for s in entities if "{" + s + "}" in template]
        for _ in range(per_template):
            values = {s: rng.choice(entities[s]) for s in slot_types}
            question = template.format(**values)
            examples.append((question, tag(question, values), intent))
    return examples


def write_split(directory, examples):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "seq.in"), "w", encoding="utf-8") as f_in, \
            open(os.path.join(directory, "seq.out"), "w", encoding="utf-8") as f_out, \
            open(os.path.join(directory, "label"), "w", encoding="utf-8") as f_label:
        for question, tags, intent in examples:
            f_in.write(" ".join(question) + "\n")
            f_out.write(" ".join(tags) + "\n")
            f_label.write(intent + "\n")
    logger.info("wrote %d examples to %s", len(examples), directory)


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    templates = pd.read_csv(os.path.join(args.input_dir, "templates.csv"))[["intent", "template"]]
    with open(os.path.join(args.input_dir, "entities.json"), encoding="utf-8") as f:
        entities = json.load(f)
    labelled = pd.read_json(os.path.join(args.input_dir, "questions.jsonl"), lines=True)

    examples = [(r.question, tag(r.question, r.slots), r.intent) for r in labelled.itertuples(index=False)]
    examples += from_templates(templates, entities, args.augment_per_template, rng)
    rng.shuffle(examples)
    n = len(examples)
    splits = {
        "train": examples[: int(n * 0.8)],
        "dev": examples[int(n * 0.8) : int(n * 0.9)],
        "test": examples[int(n * 0.9) :],
    }
    # The training channel gets train/ and dev/ plus the label vocabularies; test/ goes to evaluation.
    channel = os.path.join(args.output_dir, "train")
    write_split(os.path.join(channel, "train"), splits["train"])
    write_split(os.path.join(channel, "dev"), splits["dev"])
    write_split(os.path.join(args.output_dir, "test"), splits["test"])

    intents = sorted({intent for _, _, intent in examples})
    slots = sorted({t for _, tags, _ in examples for t in tags} - {"O"})
    with open(os.path.join(channel, "intent_label.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(["UNK"] + intents) + "\n")
    with open(os.path.join(channel, "slot_label.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(["PAD", "UNK", "O"] + slots) + "\n")


if __name__ == "__main__":
    main()
