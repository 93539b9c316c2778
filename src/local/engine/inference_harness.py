"""Local inference harness of the smpk local backend (stdlib only).

The local inference contract, modelled on the SageMaker inference toolkits (sagemaker-inference,
sagemaker-scikit-learn-container): the model's entry script, named by the model container's
SAGEMAKER_PROGRAM and found in the code directory (SAGEMAKER_SUBMIT_DIRECTORY unpacked, or the
model archive's code/ folder), may define

    model_fn(model_dir) -> model                      required
    input_fn(request_body, content_type) -> data      default: see default_input_fn
    predict_fn(data, model) -> prediction              default: model.predict(data), or model(data)
    output_fn(prediction, accept) -> str | bytes       default: see default_output_fn

`request_body` is text (str) for text/* and JSON content types, bytes otherwise.

DataProcessing (batch transform's InputFilter, JoinSource, OutputFilter) is applied per line
record: for text/csv the filters select columns ($, $[i], $[i,j], $[a:b], negative indexes);
for JSON lines they select keys ($, $.key, $['k1','k2']); JoinSource Input appends the
prediction to the input record (CSV: as trailing columns; JSON: as "SageMakerOutput").

Modes:
    transform  every file of --input-dir becomes <name>.out in --output-dir; with
               --split-type Line its non-empty lines are records, sent one per request
               (--batch-strategy SingleRecord) or all in one request joined by newlines
               (MultiRecord); outputs are joined by newlines when --assemble-with Line.
    invoke     one request: --body-file (and --content-type, --accept) to --response-file.
"""
import argparse
import csv
import gzip
import importlib.util
import io
import json
import os
import re
import sys


def _number(text):
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def default_input_fn(body, content_type):
    """application/json → parsed JSON; text/csv → list of rows of numbers (strings where not numeric); else the body."""
    kind = (content_type or "").split(";")[0].strip().lower()
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    if kind == "application/json":
        return json.loads(text)
    if kind == "text/csv":
        return [[_number(cell) for cell in row] for row in csv.reader(io.StringIO(text)) if row]
    return body


def default_output_fn(prediction, accept):
    """text/csv → one line per item (items that are lists become comma-separated); otherwise JSON."""
    if isinstance(prediction, (str, bytes)):
        return prediction
    if hasattr(prediction, "tolist"):
        prediction = prediction.tolist()
    kind = (accept or "").split(";")[0].strip().lower()
    if kind == "text/csv":
        items = prediction if isinstance(prediction, list) else [prediction]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for item in items:
            writer.writerow(item if isinstance(item, (list, tuple)) else [item])
        return out.getvalue().rstrip("\n")
    return json.dumps(prediction)


def default_predict_fn(data, model):
    if hasattr(model, "predict"):
        return model.predict(data)
    if callable(model):
        return model(data)
    raise TypeError("the model returned by model_fn has no predict() and is not callable; define predict_fn")


def load_handler(code_dir, program):
    path = os.path.join(code_dir, program)
    if not os.path.isfile(path):
        raise SystemExit(f"entry script {program} not found in {code_dir}")
    sys.path.insert(0, code_dir)
    spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(program))[0], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not hasattr(module, "model_fn"):
        raise SystemExit(f"{program} does not define model_fn(model_dir)")
    return module


class Handler:
    def __init__(self, module, model_dir):
        self.module = module
        self.model = module.model_fn(model_dir)
        self.input_fn = getattr(module, "input_fn", default_input_fn)
        self.predict_fn = getattr(module, "predict_fn", default_predict_fn)
        self.output_fn = getattr(module, "output_fn", default_output_fn)

    def __call__(self, body, content_type, accept):
        kind = (content_type or "").split(";")[0].strip().lower()
        if isinstance(body, bytes) and (kind.startswith("text/") or kind.endswith("json")):
            body = body.decode("utf-8")
        result = self.output_fn(self.predict_fn(self.input_fn(body, content_type), self.model), accept)
        if isinstance(result, tuple):  # some toolkits' output_fn return (body, content_type)
            result = result[0]
        return result if isinstance(result, bytes) else str(result).encode("utf-8")


def _is_json(content_type):
    return (content_type or "").split(";")[0].strip().lower().endswith("json")


def _csv_fields(line):
    return next(csv.reader([line]), [])


def _csv_line(fields):
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    return out.getvalue()


def _select_columns(fields, expression):
    expr = expression.strip()
    if expr in ("", "$"):
        return fields
    match = re.fullmatch(r"\$\[(.*)\]", expr)
    if not match:
        raise SystemExit(f"unsupported CSV filter {expression!r}: use $, $[i], $[i,j] or $[a:b]")
    inner = match.group(1).strip()
    if ":" in inner:
        start, _, stop = inner.partition(":")
        return fields[int(start) if start.strip() else None:int(stop) if stop.strip() else None]
    return [fields[int(part)] for part in inner.split(",")]


def _select_keys(value, expression):
    expr = expression.strip()
    if expr in ("", "$"):
        return value
    match = re.fullmatch(r"\$\.([A-Za-z_][A-Za-z0-9_]*)", expr)
    if match:
        return value[match.group(1)]
    match = re.fullmatch(r"\$\[(.*)\]", expr)
    if match:
        keys = [k.strip().strip("'\"") for k in match.group(1).split(",")]
        return {k: value[k] for k in keys}
    raise SystemExit(f"unsupported JSON filter {expression!r}: use $, $.key or $['k1','k2']")


def _apply_filter(record, expression, content_type):
    if _is_json(content_type):
        return json.dumps(_select_keys(json.loads(record), expression))
    return _csv_line(_select_columns(_csv_fields(record), expression))


def _join(record, output, content_type):
    if _is_json(content_type):
        joined = json.loads(record)
        try:
            joined["SageMakerOutput"] = json.loads(output)
        except ValueError:
            joined["SageMakerOutput"] = output
        return json.dumps(joined)
    return record + "," + output


def process_records(handler, data, args):
    """DataProcessing path: filter each line record, predict, join with the input, filter the result."""
    if args.split_type != "Line":
        raise SystemExit("DataProcessing filters and JoinSource need SplitType Line locally")
    records = [line for line in data.decode("utf-8").split("\n") if line.strip()]
    inputs = [_apply_filter(r, args.input_filter, args.content_type) for r in records]
    if args.batch_strategy == "MultiRecord":
        answer = handler("\n".join(inputs).encode("utf-8"), args.content_type, args.accept).decode("utf-8")
        outputs = [line for line in answer.split("\n") if line.strip()]
        if len(outputs) != len(records):
            raise SystemExit(f"the model returned {len(outputs)} line(s) for {len(records)} record(s); JoinSource needs one per record")
    else:
        outputs = [handler(body.encode("utf-8"), args.content_type, args.accept).decode("utf-8").strip() for body in inputs]
    joined = [_join(r, o, args.content_type) if args.join_source == "Input" else o for r, o in zip(records, outputs)]
    kind = args.content_type if args.join_source == "Input" else args.accept
    return [_apply_filter(j, args.output_filter, kind).encode("utf-8") for j in joined]


def transform(handler, args):
    for root, _dirs, files in os.walk(args.input_dir):
        for name in sorted(files):
            source = os.path.join(root, name)
            rel = os.path.relpath(source, args.input_dir)
            with open(source, "rb") as f:
                data = f.read()
            if args.compression == "Gzip":
                data = gzip.decompress(data)
            if args.input_filter != "$" or args.output_filter != "$" or args.join_source == "Input":
                outputs = process_records(handler, data, args)
                requests = outputs
            else:
                if args.split_type == "Line":
                    records = [line for line in data.split(b"\n") if line.strip()]
                    requests = [b"\n".join(records)] if args.batch_strategy == "MultiRecord" else records
                else:
                    requests = [data]
                outputs = [handler(body, args.content_type, args.accept) for body in requests if body]
            joiner = b"\n" if args.assemble_with == "Line" else b""
            target = os.path.join(args.output_dir, rel + ".out")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(joiner.join(o.rstrip(b"\n") if args.assemble_with == "Line" else o for o in outputs))
                if args.assemble_with == "Line" and outputs:
                    f.write(b"\n")
            print(f"transformed {rel}: {len(requests)} request(s)", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["transform", "invoke"])
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--code-dir", required=True)
    parser.add_argument("--program", required=True)
    parser.add_argument("--content-type", default="")
    parser.add_argument("--accept", default="")
    parser.add_argument("--input-dir")
    parser.add_argument("--output-dir")
    parser.add_argument("--split-type", default="None")
    parser.add_argument("--batch-strategy", default="MultiRecord")
    parser.add_argument("--assemble-with", default="None")
    parser.add_argument("--compression", default="None")
    parser.add_argument("--input-filter", default="$")
    parser.add_argument("--output-filter", default="$")
    parser.add_argument("--join-source", default="None")
    parser.add_argument("--body-file")
    parser.add_argument("--response-file")
    args = parser.parse_args()
    handler = Handler(load_handler(args.code_dir, args.program), args.model_dir)
    if args.mode == "transform":
        transform(handler, args)
    else:
        with open(args.body_file, "rb") as f:
            body = f.read()
        with open(args.response_file, "wb") as f:
            f.write(handler(body, args.content_type, args.accept))


if __name__ == "__main__":
    main()
