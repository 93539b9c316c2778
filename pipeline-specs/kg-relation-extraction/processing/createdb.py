"""Retrieve or create the Neptune cluster the knowledge graph is loaded into (seed: createdb.py).

Checks whether the named Neptune cluster exists and creates it (with its instances) when it
does not, makes sure Neptune can read the bulk-load files from S3 through an IAM role, and
writes the cluster's endpoint and the role to neptune.json for the bulk-load step.
"""
import argparse
import json
import logging
import os
import time

import boto3
from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)
logging.basicConfig(level=logging.INFO)


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-cluster-identifier", required=True)
    parser.add_argument("--db-instance-class", default="db.r5.large")
    parser.add_argument("--db-instance-count", type=int, default=2)
    parser.add_argument("--load-from-s3-role-name", default="NeptuneLoadFromS3")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION"))
    parser.add_argument("--output-dir", default="/opt/ml/processing/output/neptune")
    return parser.parse_args()


def get_or_create_db_cluster(neptune, db_cluster_identifier):
    try:
        return neptune.describe_db_clusters(DBClusterIdentifier=db_cluster_identifier)["DBClusters"][0]
    except ClientError as e:
        if e.response["Error"]["Code"] != "DBClusterNotFoundFault":
            raise
    logger.info("Neptune cluster %s does not exist; creating it", db_cluster_identifier)
    return neptune.create_db_cluster(DBClusterIdentifier=db_cluster_identifier, Engine="neptune")["DBCluster"]


def get_or_create_db_instance(neptune, db_cluster_identifier, suffix, db_instance_class):
    db_instance_identifier = f"{db_cluster_identifier}-{suffix}"
    try:
        return neptune.describe_db_instances(DBInstanceIdentifier=db_instance_identifier)["DBInstances"][0]
    except ClientError as e:
        if e.response["Error"]["Code"] != "DBInstanceNotFound":
            raise
    logger.info("creating Neptune instance %s", db_instance_identifier)
    return neptune.create_db_instance(
        DBInstanceIdentifier=db_instance_identifier,
        DBInstanceClass=db_instance_class,
        Engine="neptune",
        DBClusterIdentifier=db_cluster_identifier,
    )["DBInstance"]


def get_or_create_loadfroms3_role(iam, role_name):
    assume_role_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": ["rds.amazonaws.com"]}, "Action": "sts:AssumeRole"}
        ],
    }
    try:
        role = iam.create_role(
            RoleName=role_name,
            AssumeRolePolicyDocument=json.dumps(assume_role_policy),
            Description="Allow Amazon Neptune to Access Amazon S3 Resources",
        )["Role"]
        iam.attach_role_policy(RoleName=role_name, PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
        return role
    except ClientError as e:
        if e.response["Error"]["Code"] != "EntityAlreadyExists":
            raise
    return iam.get_role(RoleName=role_name)["Role"]


def attach_role_to_cluster(neptune, db_cluster_identifier, role_arn):
    cluster = neptune.describe_db_clusters(DBClusterIdentifier=db_cluster_identifier)["DBClusters"][0]
    if any(r["RoleArn"] == role_arn for r in cluster.get("AssociatedRoles", [])):
        return
    neptune.add_role_to_db_cluster(DBClusterIdentifier=db_cluster_identifier, RoleArn=role_arn)


def wait_available(neptune, db_cluster_identifier, timeout_seconds=3600):
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        cluster = neptune.describe_db_clusters(DBClusterIdentifier=db_cluster_identifier)["DBClusters"][0]
        instances = neptune.describe_db_instances(
            Filters=[{"Name": "db-cluster-id", "Values": [db_cluster_identifier]}]
        )["DBInstances"]
        if cluster["Status"] == "available" and instances and all(i["DBInstanceStatus"] == "available" for i in instances):
            return cluster
        logger.info("waiting for cluster %s (%s)", db_cluster_identifier, cluster["Status"])
        time.sleep(30)
    raise TimeoutError(f"Neptune cluster {db_cluster_identifier} not available after {timeout_seconds}s")


def main():
    args = parse_args()
    neptune = boto3.client("neptune", region_name=args.region)
    iam = boto3.client("iam")
    get_or_create_db_cluster(neptune, args.db_cluster_identifier)
    for n in range(1, args.db_instance_count + 1):
        get_or_create_db_instance(neptune, args.db_cluster_identifier, f"instance-{n}", args.db_instance_class)
    role = get_or_create_loadfroms3_role(iam, args.load_from_s3_role_name)
    cluster = wait_available(neptune, args.db_cluster_identifier)
    attach_role_to_cluster(neptune, args.db_cluster_identifier, role["Arn"])

    info = {
        "DBClusterIdentifier": args.db_cluster_identifier,
        "Endpoint": cluster["Endpoint"],
        "ReaderEndpoint": cluster.get("ReaderEndpoint"),
        "Port": cluster["Port"],
        "LoadFromS3RoleArn": role["Arn"],
    }
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "neptune.json"), "w") as f:
        json.dump(info, f, indent=2)
    logger.info("Neptune cluster ready: %s", info)


if __name__ == "__main__":
    main()
