"""Preprocess the STS/MSRP paraphrase corpus (seed: sts/preprocess.py).

Input: stsmsrpc.txt (tab-separated: Quality, #1 ID, #2 ID, #1 String, #2 String). Output:
headerless CSVs with the label first and the similarity features after, for train, validation
and test, plus the fitted TF-IDF vectoriser that clients of the endpoint need.
"""
import argparse
import csv
import logging
import os
import re
from difflib import SequenceMatcher

import joblib
import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)
BASE = "/opt/ml/processing"

# Sentence-pair similarity features (seed: sts/utils.py).
TOKEN = re.compile(r"\w+", re.UNICODE)
FEATURES = [
    "jaccard_tokens",
    "jaccard_bigrams",
    "overlap_min",
    "length_ratio",
    "length_diff",
    "number_match",
    "sequence_ratio",
    "tfidf_cosine",
]


def tokens(sentence):
    return [t.lower() for t in TOKEN.findall(sentence)]


def bigrams(words):
    return set(zip(words, words[1:]))


def jaccard(a, b):
    return len(a & b) / len(a | b) if a | b else 1.0


def pair_features(s1, s2, tfidf_cosine):
    w1, w2 = tokens(s1), tokens(s2)
    t1, t2 = set(w1), set(w2)
    n1 = {w for w in t1 if w.isdigit()}
    n2 = {w for w in t2 if w.isdigit()}
    return [
        jaccard(t1, t2),
        jaccard(bigrams(w1), bigrams(w2)),
        len(t1 & t2) / max(1, min(len(t1), len(t2))),
        min(len(w1), len(w2)) / max(1, max(len(w1), len(w2))),
        abs(len(w1) - len(w2)),
        1.0 if n1 == n2 else 0.0,
        SequenceMatcher(None, s1.lower(), s2.lower()).ratio(),
        tfidf_cosine,
    ]


def feature_matrix(df, vectorizer):
    """df has columns s1, s2; vectorizer is a fitted TfidfVectorizer."""
    a = vectorizer.transform(df["s1"])
    b = vectorizer.transform(df["s2"])
    cosine = np.asarray(a.multiply(b).sum(axis=1)).ravel()  # rows are L2-normalised
    return np.array([pair_features(x, y, c) for x, y, c in zip(df["s1"], df["s2"], cosine)])


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--input-file", default=f"{BASE}/input/stsmsrpc.txt")
    parser.add_argument("--output-dir", default=BASE)
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args()


def main():
    args = parse_args()
    df = pd.read_csv(args.input_file, sep="\t", quoting=csv.QUOTE_NONE, encoding="utf-8-sig",
                     names=["label", "id1", "id2", "s1", "s2"], header=0).dropna()
    df["label"] = df["label"].astype(int)
    logger.info("%d pairs, %.1f%% paraphrases", len(df), 100 * df["label"].mean())

    train, rest = train_test_split(df, test_size=0.3, random_state=args.seed, stratify=df["label"])
    validation, test = train_test_split(rest, test_size=0.5, random_state=args.seed, stratify=rest["label"])
    vectorizer = TfidfVectorizer(lowercase=True, ngram_range=(1, 2), min_df=2).fit(pd.concat([train["s1"], train["s2"]]))

    for name, split in (("train", train), ("validation", validation), ("test", test)):
        out = os.path.join(args.output_dir, name)
        os.makedirs(out, exist_ok=True)
        frame = pd.DataFrame(feature_matrix(split, vectorizer))
        frame.insert(0, "label", split["label"].to_numpy())
        frame.to_csv(os.path.join(out, f"{name}.csv"), header=False, index=False)
        logger.info("%s: %d rows", name, len(frame))
    # Clients of the endpoint compute the same features from raw pairs with this vectoriser.
    os.makedirs(os.path.join(args.output_dir, "vectorizer"), exist_ok=True)
    joblib.dump(vectorizer, os.path.join(args.output_dir, "vectorizer", "vectorizer.joblib"))


if __name__ == "__main__":
    main()
