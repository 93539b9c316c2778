"""Lambda behind the AlertDevTeam step: tell the team a trained model missed its quality bar.

The pipeline passes the pipeline execution id, the measured metric and the threshold as the
step's inputs (the Lambda event). The message goes to an SNS topic the team subscribes to by
e-mail or SMS. Returns a status the pipeline records as the step's outputs.
"""
import json
import os

import boto3

sns = boto3.client("sns")


def lambda_handler(event, context):
    topic_arn = os.environ["ALERT_TOPIC_ARN"]
    subject = f"[{event.get('pipeline', 'pipeline')}] model below quality bar"
    body = {
        "pipelineExecutionId": event.get("execution_id"),
        "metric": event.get("metric"),
        "value": event.get("value"),
        "threshold": event.get("threshold"),
        "message": "The candidate model was not registered. Please investigate the evaluation report.",
    }
    response = sns.publish(TopicArn=topic_arn, Subject=subject[:100], Message=json.dumps(body, indent=2))
    return {"statusCode": 200, "messageId": response["MessageId"]}
