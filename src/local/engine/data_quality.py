"""Local data-quality baselining for the smpk local backend (stdlib only).

A small stand-in for the SageMaker Model Monitor analyzer that QualityCheck (DATA_QUALITY) steps
run: from the CSV files under $dataset_source it writes statistics.json and constraints.json in
the Model Monitor format to $output_path, and, when $baseline_constraints names a constraints
file, checks the data against it and writes constraint_violations.json.

Covered: per-column inferred type (Integral, Fractional, String), completeness, numeric
min/max/mean/sum/std_dev, distinct counts, and the data_type_check, completeness_check,
missing_column_check and extra_column_check violations. Not covered: distribution (KLL sketch)
comparisons and JSON/Parquet datasets.
"""
import csv
import json
import math
import os
import sys


def infer(value):
    if value == "":
        return None
    try:
        int(value)
        return "Integral"
    except ValueError:
        pass
    try:
        float(value)
        return "Fractional"
    except ValueError:
        return "String"


def merge(a, b):
    if a is None:
        return b
    if b is None or a == b:
        return a
    if {a, b} == {"Integral", "Fractional"}:
        return "Fractional"
    return "String"


def read_rows(source, header):
    names, rows = None, []
    for root, _dirs, files in os.walk(source):
        for name in sorted(files):
            with open(os.path.join(root, name), newline="") as f:
                reader = csv.reader(f)
                if header:
                    first = next(reader, None)
                    if names is None and first is not None:
                        names = first
                rows.extend(r for r in reader if r)
    width = max((len(r) for r in rows), default=len(names or []))
    if names is None:
        names = [f"_c{i}" for i in range(width)]
    return names, rows


def statistics(names, rows):
    features = []
    for i, name in enumerate(names):
        values = [r[i].strip() if i < len(r) else "" for r in rows]
        present = [v for v in values if v != ""]
        kind = None
        for v in present:
            kind = merge(kind, infer(v))
        kind = kind or "String"
        common = {"num_present": len(present), "num_missing": len(values) - len(present)}
        feature = {"name": name, "inferred_type": kind}
        if kind in ("Integral", "Fractional"):
            numbers = [float(v) for v in present]
            total = sum(numbers)
            mean = total / len(numbers) if numbers else 0.0
            var = sum((x - mean) ** 2 for x in numbers) / len(numbers) if numbers else 0.0
            feature["numerical_statistics"] = {
                "common": common,
                "mean": mean,
                "sum": total,
                "std_dev": math.sqrt(var),
                "min": min(numbers) if numbers else 0.0,
                "max": max(numbers) if numbers else 0.0,
            }
        else:
            feature["string_statistics"] = {"common": common, "distinct_count": float(len(set(present)))}
        features.append(feature)
    return {"version": 0.0, "dataset": {"item_count": len(rows)}, "features": features}


def constraints(stats):
    features = []
    for f in stats["features"]:
        common = (f.get("numerical_statistics") or f.get("string_statistics"))["common"]
        total = common["num_present"] + common["num_missing"]
        entry = {"name": f["name"], "inferred_type": f["inferred_type"], "completeness": common["num_present"] / total if total else 1.0}
        if "numerical_statistics" in f:
            entry["num_constraints"] = {"is_non_negative": f["numerical_statistics"]["min"] >= 0}
        features.append(entry)
    return {
        "version": 0.0,
        "features": features,
        "monitoring_config": {
            "evaluate_constraints": "Enabled",
            "emit_metrics": "Enabled",
            "datatype_check_threshold": 1.0,
            "domain_content_threshold": 1.0,
        },
    }


def violations(stats, baseline):
    found = []
    current = {f["name"]: f for f in constraints(stats)["features"]}
    for expected in baseline.get("features", []):
        name = expected["name"]
        got = current.get(name)
        if got is None:
            found.append({"feature_name": name, "constraint_check_type": "missing_column_check",
                          "description": f"Baseline column {name} is missing from the dataset."})
            continue
        want_type = expected.get("inferred_type")
        if want_type and merge(want_type, got["inferred_type"]) != want_type:
            found.append({"feature_name": name, "constraint_check_type": "data_type_check",
                          "description": f"Data type {got['inferred_type']} does not match the baseline type {want_type}."})
        want = expected.get("completeness")
        if want is not None and got["completeness"] < want:
            found.append({"feature_name": name, "constraint_check_type": "completeness_check",
                          "description": f"Completeness {got['completeness']:.4f} is below the baseline completeness {want:.4f}."})
    for name in current:
        if name not in {f["name"] for f in baseline.get("features", [])}:
            found.append({"feature_name": name, "constraint_check_type": "extra_column_check",
                          "description": f"Column {name} is not in the baseline."})
    return {"violations": found}


def main():
    source = os.environ["dataset_source"]
    output = os.environ["output_path"]
    fmt = json.loads(os.environ.get("dataset_format") or '{"csv": {"header": true}}')
    if "csv" not in fmt:
        print(f"dataset_format {json.dumps(fmt)} is not supported locally; only csv is", file=sys.stderr)
        sys.exit(2)
    names, rows = read_rows(source, bool(fmt["csv"].get("header", True)))
    stats = statistics(names, rows)
    os.makedirs(output, exist_ok=True)
    with open(os.path.join(output, "statistics.json"), "w") as f:
        json.dump(stats, f, indent=2)
    with open(os.path.join(output, "constraints.json"), "w") as f:
        json.dump(constraints(stats), f, indent=2)
    print(f"baselined {len(rows)} rows, {len(names)} columns")
    baseline_path = os.environ.get("baseline_constraints")
    if baseline_path:
        with open(baseline_path) as f:
            result = violations(stats, json.load(f))
        with open(os.path.join(output, "constraint_violations.json"), "w") as f:
            json.dump(result, f, indent=2)
        print(f"{len(result['violations'])} violation(s) against {os.path.basename(baseline_path)}")


if __name__ == "__main__":
    main()
