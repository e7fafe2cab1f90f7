// Package triggers owns Cognito's Lambda-trigger semantics: it builds the
// event AWS would send for a trigger source, applies the invocation rules
// (5 s per attempt, up to 3 attempts, no retry where AWS does not retry),
// validates the function's response, maps failures to the exceptions AWS
// returns, and records every invocation. Running the function is package
// lambda's job; the flows that call triggers are package userpool's.
package triggers

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/lambda"
)

// Invoker runs a function named by ARN once (lambda.Host).
type Invoker interface {
	Invoke(ctx context.Context, arn string, payload []byte) (lambda.Result, error)
}

// Dispatcher calls trigger functions with Cognito's invocation rules.
type Dispatcher struct {
	Invoker Invoker
	// Record receives every invocation for the invocation log.
	Record func(ctx context.Context, inv cognito.Invocation)
	Logger *slog.Logger
	// Timeout per attempt (AWS: 5 s) and Attempts in total (AWS: 3).
	Timeout  time.Duration
	Attempts int
	Now      func() time.Time
}

// NotApplicable is the callerContext.clientId of admin operations that have
// no app client (observed in real AdminCreateUser events).
const NotApplicable = "CLIENT_ID_NOT_APPLICABLE"

// Event is the common envelope of every trigger event (triggers.md §3).
type Event struct {
	Version       string         `json:"version"`
	TriggerSource string         `json:"triggerSource"`
	Region        string         `json:"region"`
	UserPoolId    string         `json:"userPoolId"`
	UserName      string         `json:"userName"`
	CallerContext CallerContext  `json:"callerContext"`
	Request       map[string]any `json:"request"`
	Response      map[string]any `json:"response"`
}

// CallerContext is the event's callerContext.
type CallerContext struct {
	AwsSdkVersion string `json:"awsSdkVersion"`
	ClientId      string `json:"clientId"`
}

// Caller describes who triggers an event: the pool and the app client
// ("" for admin operations without one).
type Caller struct {
	PoolID   string
	Region   string
	ClientID string
	Config   *cognito.LambdaConfig
}

// call is one trigger invocation to make.
type call struct {
	trigger string // LambdaConfig key, used in error messages
	arn     string
	event   Event
	redact  []string // request members never recorded (password)
	async   bool
	// parse reads and validates the response object; its error is the
	// invocation's outcome.
	parse func(resp json.RawMessage) error
}

func (c Caller) event(source, userName, version string) Event {
	client := c.ClientID
	if client == "" {
		client = NotApplicable
	}
	if version == "" {
		version = "1"
	}
	return Event{
		Version: version, TriggerSource: source, Region: c.Region, UserPoolId: c.PoolID, UserName: userName,
		CallerContext: CallerContext{AwsSdkVersion: "aws-sdk-unknown-unknown", ClientId: client},
		Request:       map[string]any{}, Response: map[string]any{},
	}
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

// invoke runs c and returns the "response" member of the returned event.
// Failures come back as the Cognito exceptions of triggers.md §4.2:
// a function error → UserLambdaValidationException "<Trigger> failed with
// error <msg>."; no function, an invoke failure or timeouts on every
// attempt → UnexpectedLambdaException; output that is not an event →
// InvalidLambdaResponseException.
func (d *Dispatcher) invoke(ctx context.Context, c call) (json.RawMessage, error) {
	payload, err := json.Marshal(c.event)
	if err != nil {
		return nil, err
	}
	timeout, attempts := d.Timeout, d.Attempts
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	if attempts <= 0 {
		attempts = 3
	}
	start := d.now()
	inv := cognito.Invocation{PoolID: c.event.UserPoolId, Trigger: c.trigger, TriggerSource: c.event.TriggerSource,
		Function: c.arn, Event: redacted(c.event, c.redact), Created: start.UTC()}
	var res lambda.Result
	for inv.Attempts < attempts {
		inv.Attempts++
		actx, cancel := context.WithTimeout(ctx, timeout)
		res, err = d.Invoker.Invoke(actx, c.arn, payload)
		cancel()
		inv.Runner = res.Runner
		inv.Logs = append(inv.Logs, res.Logs...)
		// Only timeouts are retried: AWS does not retry function errors
		// nor invoke failures (HTTP 5xx from Lambda).
		if !errors.Is(err, lambda.ErrTimeout) || ctx.Err() != nil {
			break
		}
	}
	out, cerr := d.outcome(c, res, err)
	if cerr == nil && c.parse != nil {
		cerr = c.parse(out)
	}
	inv.DurationMs = float64(d.now().Sub(start).Microseconds()) / 1000
	if cerr != nil {
		inv.Outcome, inv.Error = cognito.ErrorCode(cerr), cerr.Error()
		if inv.Outcome == "" {
			inv.Outcome = cognito.UnexpectedLambda
		}
	} else {
		inv.Outcome, inv.Response = "ok", out
	}
	d.log(ctx, inv)
	return out, cerr
}

func (d *Dispatcher) outcome(c call, res lambda.Result, err error) (json.RawMessage, error) {
	switch {
	case errors.Is(err, lambda.ErrTimeout):
		return nil, cognito.Errorf(cognito.UnexpectedLambda, "%s invocation failed due to error Socket timeout while invoking Lambda function.", c.trigger)
	case errors.Is(err, lambda.ErrFunctionNotFound):
		return nil, cognito.Errorf(cognito.UnexpectedLambda, "%s invocation failed due to error ResourceNotFoundException.", c.trigger)
	case errors.Is(err, lambda.ErrResponseTooLarge):
		return nil, cognito.Errorf(cognito.InvalidLambdaResponse, "Invalid lambda function output : response too large")
	case err != nil:
		return nil, cognito.Errorf(cognito.UnexpectedLambda, "%s invocation failed due to error %s.", c.trigger, oneLine(err.Error()))
	case res.FunctionError:
		return nil, cognito.Errorf(cognito.UserLambdaValidation, "%s failed with error %s.", c.trigger, res.ErrorMessage)
	}
	p := bytes.TrimSpace(res.Payload)
	if len(p) == 0 || bytes.Equal(p, []byte("null")) {
		return nil, cognito.Errorf(cognito.InvalidLambdaResponse, "Unrecognizable lambda output")
	}
	var ev struct {
		Response json.RawMessage `json:"response"`
	}
	if !json.Valid(p) || p[0] != '{' || json.Unmarshal(p, &ev) != nil {
		return nil, cognito.Errorf(cognito.InvalidLambdaResponse, "Invalid lambda function output : Invalid JSON")
	}
	if len(ev.Response) == 0 || bytes.Equal(ev.Response, []byte("null")) {
		return json.RawMessage("{}"), nil
	}
	if ev.Response[0] != '{' {
		return nil, cognito.Errorf(cognito.InvalidLambdaResponse, "Unrecognizable lambda output")
	}
	return ev.Response, nil
}

// invokeAsync runs c without waiting, as AWS invokes the custom senders:
// errors reach the log and the invocation record, never the caller.
func (d *Dispatcher) invokeAsync(ctx context.Context, c call) {
	ctx = context.WithoutCancel(ctx)
	go func() { _, _ = d.invoke(ctx, c) }()
}

func (d *Dispatcher) log(ctx context.Context, inv cognito.Invocation) {
	if d.Logger != nil {
		d.Logger.Info("trigger", "pool", inv.PoolID, "trigger", inv.Trigger, "source", inv.TriggerSource,
			"function", inv.Function, "runner", inv.Runner, "attempts", inv.Attempts, "ms", inv.DurationMs, "outcome", inv.Outcome)
	}
	if d.Record != nil {
		d.Record(ctx, inv)
	}
}

// redacted renders the event for the invocation log without secrets.
func redacted(ev Event, keys []string) json.RawMessage {
	if len(keys) > 0 {
		req := make(map[string]any, len(ev.Request))
		for k, v := range ev.Request {
			req[k] = v
		}
		for _, k := range keys {
			if _, ok := req[k]; ok {
				req[k] = "[redacted]"
			}
		}
		ev.Request = req
	}
	b, _ := json.Marshal(ev)
	return b
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// decode reads a response object into v; a member of the wrong type is an
// invalid response.
func decode(raw json.RawMessage, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return cognito.Errorf(cognito.InvalidLambdaResponse, "Invalid lambda function output : %s", oneLine(err.Error()))
	}
	return nil
}

// orNil is m, or JSON null when it is empty (validationData, clientMetadata
// of custom senders: triggers.md §3.2).
func orNil(m map[string]string) any {
	if len(m) == 0 {
		return nil
	}
	return m
}

func encodeCode(code string) string { return base64.StdEncoding.EncodeToString([]byte(code)) }
