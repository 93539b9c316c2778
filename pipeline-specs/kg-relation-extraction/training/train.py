"""PyTorch script-mode training for knowledge-graph relation extraction (seed: pipelines/kg/train.py).

Hyperparameters arrive as --key value arguments (epochs, use-cuda, batch-size, learning-rate),
the train channel holds train.json/dev.json/vocab.json/schemas.json from the preprocessing step.
Prints `f1: … precision: … recall: …` after each epoch for the estimator's metric definitions.
"""
import argparse
import json
import logging
import os
import random
import shutil

import numpy as np
import torch
from torch.nn import functional as F
from torch.utils.data import DataLoader, Dataset

from model import CasRel, decode, precision_recall_f1

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)

MAX_LEN = 256


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--use-cuda", type=lambda v: str(v).lower() == "true", default=True)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR", "/opt/ml/model"))
    parser.add_argument("--train", default=os.environ.get("SM_CHANNEL_TRAIN", "/opt/ml/input/data/train"))
    return parser.parse_args()


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def find(text, span):
    start = text.find(span)
    return (start, start + len(span) - 1) if start >= 0 else None


class TripletDataset(Dataset):
    """One example per (sentence, sampled subject), as CasRel trains."""

    def __init__(self, records, char_index, predicate_index):
        self.examples = []
        for record in records:
            text = record["text"][:MAX_LEN]
            tokens = [char_index.get(ch, 1) for ch in text]
            subjects = {}
            for t in record["spo_list"]:
                s, o = find(text, t["subject"]), find(text, t["object"])
                if s and o and t["predicate"] in predicate_index:
                    subjects.setdefault(s, []).append((predicate_index[t["predicate"]], o))
            if subjects:
                self.examples.append((tokens, subjects))
        self.num_predicates = len(predicate_index)

    def __len__(self):
        return len(self.examples)

    def __getitem__(self, i):
        tokens, subjects = self.examples[i]
        n = len(tokens)
        subject_target = np.zeros((n, 2), dtype=np.float32)
        for (h, t) in subjects:
            subject_target[h, 0] = subject_target[t, 1] = 1.0
        chosen = random.choice(list(subjects))
        object_target = np.zeros((n, self.num_predicates, 2), dtype=np.float32)
        for p, (oh, ot) in subjects[chosen]:
            object_target[oh, p, 0] = object_target[ot, p, 1] = 1.0
        return tokens, chosen, subject_target, object_target


def collate(batch):
    width = max(len(tokens) for tokens, *_ in batch)
    tokens = torch.zeros(len(batch), width, dtype=torch.long)
    spans = torch.tensor([chosen for _, chosen, *_ in batch], dtype=torch.long)
    num_predicates = batch[0][3].shape[1]
    subject_target = torch.zeros(len(batch), width, 2)
    object_target = torch.zeros(len(batch), width, num_predicates, 2)
    for i, (tok, _, s_t, o_t) in enumerate(batch):
        tokens[i, : len(tok)] = torch.tensor(tok)
        subject_target[i, : len(tok)] = torch.from_numpy(s_t)
        object_target[i, : len(tok)] = torch.from_numpy(o_t)
    return tokens, spans, subject_target, object_target


def evaluate(model, records, char_index, predicates, device):
    model.eval()
    predicted, gold = [], []
    with torch.no_grad():
        for record in records:
            text = record["text"][:MAX_LEN]
            tokens = torch.tensor([[char_index.get(ch, 1) for ch in text]], device=device)
            predicted.append(decode(model, tokens, text, predicates))
            gold.append({(t["subject"], t["predicate"], t["object"]) for t in record["spo_list"]})
    model.train()
    return precision_recall_f1(predicted, gold)


def main():
    args = parse_args()
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if args.use_cuda and torch.cuda.is_available() else "cpu")

    with open(os.path.join(args.train, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    with open(os.path.join(args.train, "schemas.json"), encoding="utf-8") as f:
        predicates = json.load(f)
    char_index = {ch: i for i, ch in enumerate(vocab)}
    predicate_index = {p: i for i, p in enumerate(predicates)}
    train = TripletDataset(read_jsonl(os.path.join(args.train, "train.json")), char_index, predicate_index)
    dev = read_jsonl(os.path.join(args.train, "dev.json"))[:2000]
    loader = DataLoader(train, batch_size=args.batch_size, shuffle=True, collate_fn=collate)

    model = CasRel(len(vocab), len(predicates)).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    best_f1 = -1.0
    for epoch in range(1, args.epochs + 1):
        total = 0.0
        for tokens, spans, subject_target, object_target in loader:
            tokens, spans = tokens.to(device), spans.to(device)
            subject_probs, object_probs = model(tokens, spans)
            mask = tokens.ne(0).float()
            loss_s = (F.binary_cross_entropy(subject_probs, subject_target.to(device), reduction="none").mean(-1) * mask).sum() / mask.sum()
            loss_o = (F.binary_cross_entropy(object_probs, object_target.to(device), reduction="none").mean((-1, -2)) * mask).sum() / mask.sum()
            loss = loss_s + loss_o
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        precision, recall, f1 = evaluate(model, dev, char_index, predicates, device)
        logger.info("epoch %d loss %.4f", epoch, total / max(1, len(loader)))
        # Matched by the metric definitions: eval:f1, eval:prec, eval:recall.
        print(f"f1: {f1:.4f}, precision: {precision:.4f}, recall: {recall:.4f}")
        if f1 > best_f1:
            best_f1 = f1
            torch.save(model.state_dict(), os.path.join(args.model_dir, "model.pth"))

    for name in ("vocab.json", "schemas.json"):
        shutil.copy(os.path.join(args.train, name), os.path.join(args.model_dir, name))
    # Inference code inside model.tar.gz, where the PyTorch serving container looks for it.
    code_dir = os.path.join(args.model_dir, "code")
    os.makedirs(code_dir, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("inference.py", "model.py"):
        shutil.copy(os.path.join(here, name), os.path.join(code_dir, name))
    with open(os.path.join(args.model_dir, "config.json"), "w") as f:
        json.dump({"vocab_size": len(vocab), "num_predicates": len(predicates)}, f)


if __name__ == "__main__":
    main()
