#!/usr/bin/env python3
"""Generates the tiny, deterministic abalone-like dataset shipped with this example.

The columns and their order follow the UCI abalone data that the AWS abalone pipeline example
uses (headerless CSV: sex, length, diameter, height, whole_weight, shucked_weight,
viscera_weight, shell_weight, rings). The values are synthetic: a fixed-seed generator gives
the same bytes on every machine, so the committed CSV can be regenerated and checked.

    python3 generate_abalone.py > abalone.csv
"""
import argparse
import csv
import random
import sys

SEED = 20211207
ROWS = 300


def row(rng):
    sex = rng.choice(["M", "F", "I"])
    # Infants are smaller; adults of both sexes overlap.
    base = rng.uniform(0.15, 0.45) if sex == "I" else rng.uniform(0.35, 0.75)
    length = base
    diameter = max(0.05, 0.80 * length + rng.gauss(0, 0.015))
    height = max(0.01, 0.34 * length + rng.gauss(0, 0.012))
    whole_weight = max(0.01, 2.2 * length ** 3 * 3.0 + rng.gauss(0, 0.03))
    shucked_weight = max(0.005, 0.43 * whole_weight + rng.gauss(0, 0.02))
    viscera_weight = max(0.002, 0.22 * whole_weight + rng.gauss(0, 0.01))
    shell_weight = max(0.003, 0.29 * whole_weight + rng.gauss(0, 0.015))
    rings = 3.0 + 14.0 * shell_weight + 9.0 * height + (1.5 if sex != "I" else 0.0) + rng.gauss(0, 1.2)
    rings = int(min(29, max(1, round(rings))))
    return [
        sex,
        f"{length:.3f}",
        f"{diameter:.3f}",
        f"{height:.3f}",
        f"{whole_weight:.4f}",
        f"{shucked_weight:.4f}",
        f"{viscera_weight:.4f}",
        f"{shell_weight:.4f}",
        str(rings),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    for _ in range(args.rows):
        writer.writerow(row(rng))


if __name__ == "__main__":
    main()
