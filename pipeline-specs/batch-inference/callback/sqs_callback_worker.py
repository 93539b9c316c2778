"""Consumer of the pipeline's callback queue: hand the batch predictions to the downstream system.

SageMaker puts one message per callback step execution on the SQS queue:
{"token": …, "pipelineExecutionArn": …, "arguments": {…}}. This worker (a Lambda subscribed to
the queue) notifies the scoring consumer over SNS and then reports success or failure with the
token, which lets the pipeline continue. Outputs returned here become the step's OutputParameters.
"""
import json
import logging
import os

import boto3
from botocore.exceptions import ClientError

logger = logging.getLogger()
logger.setLevel(logging.INFO)

sagemaker = boto3.client("sagemaker")
sns = boto3.client("sns")


def handle(message):
    arguments = message.get("arguments", {})
    notification = {
        "pipelineExecutionArn": message["pipelineExecutionArn"],
        "predictionsS3Uri": arguments["predictions_s3_uri"],
        "dataQualityStatisticsS3Uri": arguments.get("data_quality_statistics_s3_uri"),
        "modelPackageArn": arguments.get("model_package_arn"),
    }
    response = sns.publish(TopicArn=os.environ["SCORING_TOPIC_ARN"], Message=json.dumps(notification))
    return [
        {"Name": "notification_id", "Value": response["MessageId"]},
        {"Name": "predictions_s3_uri", "Value": arguments["predictions_s3_uri"]},
    ]


def lambda_handler(event, context):
    for record in event["Records"]:
        message = json.loads(record["body"])
        token = message["token"]
        try:
            outputs = handle(message)
        except (KeyError, ClientError) as error:
            logger.exception("callback failed")
            sagemaker.send_pipeline_execution_step_failure(CallbackToken=token, FailureReason=str(error)[:256])
            continue
        sagemaker.send_pipeline_execution_step_success(CallbackToken=token, OutputParameters=outputs)
    return {"statusCode": 200}
