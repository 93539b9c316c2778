"""Bulk-load the extracted triplets into Neptune (seed: NeptuneBulkload step).

Turns the batch transform's triplets into Gremlin bulk-load CSVs (vertices: one per distinct
entity name; edges: one per triplet), uploads them to S3, starts the Neptune loader and waits
for it, then checks the vertex and edge counts with gremlinpython.
"""
import argparse
import csv
import glob
import hashlib
import json
import logging
import os
import time
from urllib.parse import urlparse

import boto3
import requests
from gremlin_python.driver.driver_remote_connection import DriverRemoteConnection
from gremlin_python.process.anonymous_traversal import traversal

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--triplets-dir", default="/opt/ml/processing/input/triplets")
    parser.add_argument("--neptune-dir", default="/opt/ml/processing/input/neptune")
    parser.add_argument("--load-s3-uri", required=True, help="S3 prefix the load files are written to")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION"))
    parser.add_argument("--output-dir", default="/opt/ml/processing/output/load")
    return parser.parse_args()


def vertex_id(name):
    return "v-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:16]


def read_triplets(directory):
    for path in sorted(glob.glob(os.path.join(directory, "**", "*.out"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    for subject, predicate, obj in json.loads(line)["spo_list"]:
                        yield subject, predicate, obj


def write_load_files(triplets, output_dir):
    os.makedirs(output_dir, exist_ok=True)
    vertices, edges = {}, set()
    for subject, predicate, obj in triplets:
        vertices.setdefault(subject, "entity")
        vertices.setdefault(obj, "entity")
        edges.add((vertex_id(subject), predicate, vertex_id(obj)))
    with open(os.path.join(output_dir, "vertices.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["~id", "~label", "name:String"])
        for name, label in sorted(vertices.items()):
            writer.writerow([vertex_id(name), label, name])
    with open(os.path.join(output_dir, "edges.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["~id", "~from", "~label", "~to"])
        for i, (src, label, dst) in enumerate(sorted(edges)):
            writer.writerow([f"e-{i}", src, label, dst])
    return len(vertices), len(edges)


def upload(output_dir, s3_uri):
    parsed = urlparse(s3_uri)
    s3 = boto3.client("s3")
    for name in ("vertices.csv", "edges.csv"):
        s3.upload_file(os.path.join(output_dir, name), parsed.netloc, f"{parsed.path.strip('/')}/{name}")


def bulk_load(endpoint, port, s3_uri, role_arn, region):
    loader = f"https://{endpoint}:{port}/loader"
    response = requests.post(
        loader,
        json={
            "source": s3_uri,
            "format": "csv",
            "iamRoleArn": role_arn,
            "region": region,
            "failOnError": "TRUE",
            "parallelism": "MEDIUM",
            "updateSingleCardinalityProperties": "TRUE",
        },
        timeout=60,
    )
    response.raise_for_status()
    load_id = response.json()["payload"]["loadId"]
    while True:
        status = requests.get(f"{loader}/{load_id}", timeout=60).json()["payload"]["overallStatus"]
        logger.info("load %s: %s", load_id, status["status"])
        if status["status"] == "LOAD_COMPLETED":
            return status
        if status["status"] not in ("LOAD_NOT_STARTED", "LOAD_IN_QUEUE", "LOAD_IN_PROGRESS"):
            raise RuntimeError(f"Neptune bulk load {load_id} ended with {status}")
        time.sleep(15)


def main():
    args = parse_args()
    with open(os.path.join(args.neptune_dir, "neptune.json")) as f:
        neptune = json.load(f)
    n_vertices, n_edges = write_load_files(read_triplets(args.triplets_dir), args.output_dir)
    logger.info("%d vertices, %d edges", n_vertices, n_edges)
    upload(args.output_dir, args.load_s3_uri)
    status = bulk_load(neptune["Endpoint"], neptune["Port"], args.load_s3_uri, neptune["LoadFromS3RoleArn"], args.region)

    connection = DriverRemoteConnection(f"wss://{neptune['Endpoint']}:{neptune['Port']}/gremlin", "g")
    try:
        g = traversal().withRemote(connection)
        counts = {"vertices": g.V().count().next(), "edges": g.E().count().next()}
    finally:
        connection.close()
    logger.info("graph now holds %s", counts)
    with open(os.path.join(args.output_dir, "load-status.json"), "w") as f:
        json.dump({"load": status, "graph": counts}, f, indent=2)


if __name__ == "__main__":
    main()
