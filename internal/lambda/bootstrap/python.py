# tarn's Python Lambda bootstrap: speaks the Lambda Runtime API at
# $AWS_LAMBDA_RUNTIME_API and runs the handler named by $_HANDLER
# ("module.function", module relative to $LAMBDA_TASK_ROOT).
import http.client
import importlib
import json
import os
import sys
import time
import traceback

API = os.environ.get("AWS_LAMBDA_RUNTIME_API", "")
HOST, _, PORT = API.rpartition(":")
MARK = "\x1etarn:end:"
_conn = None


def request(method, path, body=None, headers=None):
    global _conn
    hdrs = {"Content-Type": "application/json"}
    hdrs.update(headers or {})
    for attempt in (0, 1):
        if _conn is None:
            _conn = http.client.HTTPConnection(HOST, int(PORT))
        try:
            _conn.request(method, "/2018-06-01/runtime" + path, body=body, headers=hdrs)
            r = _conn.getresponse()
            return r.status, r.headers, r.read()
        except (http.client.HTTPException, ConnectionError):
            _conn.close()
            _conn = None
            if attempt:
                raise


class FaultError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def error_payload(e):
    return {
        "errorType": getattr(e, "error_type", None) or type(e).__name__,
        "errorMessage": str(e),
        "stackTrace": traceback.format_list(traceback.extract_tb(e.__traceback__)),
    }


def load_handler():
    handler = os.environ.get("_HANDLER", "")
    mod_path, _, fn_name = handler.rpartition(".")
    if not mod_path or not fn_name:
        raise FaultError("Runtime.MalformedHandlerName", "Bad handler '%s': not enough values to unpack" % handler)
    mod_name = mod_path.replace("/", ".")
    root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    sys.path.insert(0, root)
    try:
        mod = importlib.import_module(mod_name)
    except ImportError as e:
        raise FaultError("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (mod_name, e))
    except SyntaxError as e:
        raise FaultError("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (mod_name, e))
    fn = getattr(mod, fn_name, None)
    if not callable(fn):
        raise FaultError("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fn_name, mod_name))
    return fn


class LambdaContext:
    def __init__(self, request_id, deadline_ms, arn):
        self.aws_request_id = request_id
        self.invoked_function_arn = arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


def mark(request_id):
    for stream in (sys.stdout, sys.stderr):
        stream.write(MARK + request_id + "\n")
        stream.flush()


def main():
    try:
        handler = load_handler()
    except Exception as e:
        p = error_payload(e)
        print("[ERROR] %s: %s" % (p["errorType"], p["errorMessage"]), file=sys.stderr, flush=True)
        request("POST", "/init/error", json.dumps(p), {"Lambda-Runtime-Function-Error-Type": p["errorType"]})
        sys.exit(1)
    while True:
        status, headers, body = request("GET", "/invocation/next")
        if status != 200:
            raise RuntimeError("runtime API /next: status %d" % status)
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        deadline = int(headers.get("Lambda-Runtime-Deadline-Ms") or 0)
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("Lambda-Runtime-Trace-Id") or ""
        ctx = LambdaContext(request_id, deadline, headers.get("Lambda-Runtime-Invoked-Function-Arn"))
        try:
            result = handler(json.loads(body), ctx)
            try:
                out = json.dumps(result)
            except (TypeError, ValueError) as e:
                raise FaultError("Runtime.MarshalError", "Unable to marshal response: %s" % e)
        except Exception as e:
            p = error_payload(e)
            print("[ERROR] %s: %s" % (p["errorType"], p["errorMessage"]), file=sys.stderr, flush=True)
            mark(request_id)
            request("POST", "/invocation/%s/error" % request_id, json.dumps(p),
                    {"Lambda-Runtime-Function-Error-Type": p["errorType"]})
            continue
        mark(request_id)
        status, _, rbody = request("POST", "/invocation/%s/response" % request_id, out)
        if status != 202:
            print("runtime API rejected the response: %d %s" % (status, rbody), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
