# Custom message trigger in Python: rewrites the SMS text, and the email
# text when the caller asks for it through ClientMetadata (tarn's tests).


def lambda_handler(event, context):
    print("custom message", event["triggerSource"])
    code = event["request"]["codeParameter"]
    event["response"]["smsMessage"] = "Py says your code is " + code
    meta = event["request"].get("clientMetadata") or {}
    if meta.get("email") == "yes":
        event["response"]["emailMessage"] = "<p>Py email: " + code + "</p>"
        event["response"]["emailSubject"] = "Py subject"
    return event
