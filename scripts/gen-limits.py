"""Generates src/compiler/limits.generated.json from botocore's SageMaker service model: the
length and count limits of every shape reachable from the job requests a pipeline step creates.
Run: python3 scripts/gen-limits.py (needs botocore). Only limits are kept, not documentation."""
import gzip
import json
import os

import botocore

ROOTS = {
    "Processing": "CreateProcessingJobRequest",
    "Training": "CreateTrainingJobRequest",
    "Tuning": "CreateHyperParameterTuningJobRequest",
    "Transform": "CreateTransformJobRequest",
    "Model": "CreateModelInput",
    "RegisterModel": "CreateModelPackageInput",
    "QualityCheck": "CreateProcessingJobRequest",
    "ClarifyCheck": "CreateProcessingJobRequest",
}

path = os.path.join(os.path.dirname(botocore.__file__), "data/sagemaker/2017-07-24/service-2.json.gz")
model = json.load(gzip.open(path))
shapes = model["shapes"]
out = {}


def visit(name):
    if name in out:
        return
    shape = shapes[name]
    entry = {"type": shape["type"]}
    out[name] = entry
    for key in ("min", "max"):
        if key in shape and shape["type"] in ("string", "list", "map"):
            entry[key] = shape[key]
    if shape["type"] == "structure":
        entry["members"] = {m: v["shape"] for m, v in shape["members"].items()}
        for v in entry["members"].values():
            visit(v)
    elif shape["type"] == "list":
        entry["member"] = shape["member"]["shape"]
        visit(entry["member"])
    elif shape["type"] == "map":
        entry["key"] = shape["key"]["shape"]
        entry["value"] = shape["value"]["shape"]
        visit(entry["key"])
        visit(entry["value"])


for root in sorted(set(ROOTS.values())):
    visit(root)

pipeline = {
    m: shapes[v["shape"]].get("max")
    for m, v in shapes["CreatePipelineRequest"]["members"].items()
    if m in ("PipelineName", "PipelineDisplayName", "PipelineDescription", "PipelineDefinition")
}
doc = {"source": "botocore " + botocore.__version__ + " sagemaker 2017-07-24", "roots": ROOTS, "pipeline": pipeline, "shapes": dict(sorted(out.items()))}
with open("src/compiler/limits.generated.json", "w") as f:
    json.dump(doc, f, separators=(",", ":"), sort_keys=False)
    f.write("\n")
