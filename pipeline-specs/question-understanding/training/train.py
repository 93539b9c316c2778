"""Fine-tune JointBERT for question understanding (script mode in the Hugging Face PyTorch image).

Channels: `train` (train/ and dev/ splits in the JointBERT layout). Hyperparameters:
epochs, batch-size, learning-rate, max-seq-len, model-name. Prints
`intent_acc: … slot_f1: …` per epoch for the metric definitions.
"""
import argparse
import json
import logging
import os
import shutil

import numpy as np
import torch
from seqeval.metrics import f1_score
from torch.utils.data import DataLoader, TensorDataset
from transformers import BertTokenizerFast, get_linear_schedule_with_warmup

from model import JointBERT

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=5e-5)
    parser.add_argument("--max-seq-len", type=int, default=50)
    parser.add_argument("--model-name", default="bert-base-chinese")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR", "/opt/ml/model"))
    parser.add_argument("--train", default=os.environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train"))
    return parser.parse_args()


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


def load_split(directory, tokenizer, intent_index, slot_index, max_len):
    questions = [line.split() for line in read_lines(os.path.join(directory, "seq.in"))]
    tags = [line.split() for line in read_lines(os.path.join(directory, "seq.out"))]
    intents = read_lines(os.path.join(directory, "label"))
    encoded = tokenizer(questions, is_split_into_words=True, truncation=True, max_length=max_len,
                        padding="max_length", return_tensors="pt")
    slot_ids = np.zeros((len(questions), max_len), dtype=np.int64)  # 0 = PAD, ignored in the loss
    for i, row in enumerate(tags):
        for position, word in enumerate(encoded.word_ids(i)):
            if word is not None:
                slot_ids[i, position] = slot_index.get(row[word], slot_index["UNK"])
    intent_ids = torch.tensor([intent_index.get(x, 0) for x in intents])
    dataset = TensorDataset(encoded["input_ids"], encoded["attention_mask"], encoded["token_type_ids"],
                            intent_ids, torch.from_numpy(slot_ids))
    return dataset, tags


def evaluate(model, loader, slot_labels, device):
    model.eval()
    correct, total, gold_tags, pred_tags = 0, 0, [], []
    with torch.no_grad():
        for input_ids, mask, types, intents, slots in loader:
            _, intent_logits, slot_logits = model(input_ids.to(device), mask.to(device), types.to(device))
            correct += (intent_logits.argmax(-1).cpu() == intents).sum().item()
            total += len(intents)
            predicted = slot_logits.argmax(-1).cpu()
            for gold_row, pred_row in zip(slots, predicted):
                keep = gold_row != 0
                gold_tags.append([slot_labels[i] for i in gold_row[keep].tolist()])
                pred_tags.append([slot_labels[i] for i in pred_row[keep].tolist()])
    model.train()
    return correct / max(1, total), f1_score(gold_tags, pred_tags)


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    intent_labels = read_lines(os.path.join(args.train, "intent_label.txt"))
    slot_labels = read_lines(os.path.join(args.train, "slot_label.txt"))
    intent_index = {x: i for i, x in enumerate(intent_labels)}
    slot_index = {x: i for i, x in enumerate(slot_labels)}

    tokenizer = BertTokenizerFast.from_pretrained(args.model_name)
    train_set, _ = load_split(os.path.join(args.train, "train"), tokenizer, intent_index, slot_index, args.max_seq_len)
    dev_set, _ = load_split(os.path.join(args.train, "dev"), tokenizer, intent_index, slot_index, args.max_seq_len)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
    dev_loader = DataLoader(dev_set, batch_size=args.batch_size)

    model = JointBERT.from_pretrained(args.model_name, num_intents=len(intent_labels), num_slots=len(slot_labels)).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.learning_rate)
    steps = len(train_loader) * args.epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)
    best = -1.0
    for epoch in range(1, args.epochs + 1):
        for input_ids, mask, types, intents, slots in train_loader:
            loss, _, _ = model(input_ids.to(device), mask.to(device), types.to(device), intents.to(device), slots.to(device))
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
        intent_acc, slot_f1 = evaluate(model, dev_loader, slot_labels, device)
        print(f"epoch: {epoch} intent_acc: {intent_acc:.4f} slot_f1: {slot_f1:.4f}")
        if intent_acc + slot_f1 > best:
            best = intent_acc + slot_f1
            model.save_pretrained(args.model_dir)
            tokenizer.save_pretrained(args.model_dir)

    for name in ("intent_label.txt", "slot_label.txt"):
        shutil.copy(os.path.join(args.train, name), os.path.join(args.model_dir, name))
    with open(os.path.join(args.model_dir, "training_args.json"), "w") as f:
        json.dump(vars(args), f, indent=2)
    code_dir = os.path.join(args.model_dir, "code")
    os.makedirs(code_dir, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("inference.py", "model.py", "requirements.txt"):
        shutil.copy(os.path.join(here, name), os.path.join(code_dir, name))


if __name__ == "__main__":
    main()
