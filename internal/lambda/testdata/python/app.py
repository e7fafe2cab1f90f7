# Handler used by the tests.
import os
import sys
import time


class PyBoom(Exception):
    pass


def lambda_handler(event, context):
    action = event.get("action")
    if action == "throw":
        raise PyBoom("py boom")
    if action == "hang":
        time.sleep(3600)
    if action == "pid":
        return {"pid": os.getpid()}
    print("py log", event.get("n"))
    print("py err line", file=sys.stderr)
    return dict(
        event,
        pid=os.getpid(),
        remaining=context.get_remaining_time_in_millis(),
        requestId=context.aws_request_id,
        functionName=context.function_name,
        greeting=os.environ.get("GREETING"),
        extra=os.environ.get("TARN_EXTRA"),
        endpoint=os.environ.get("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"),
    )
