package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// Operation runs one cognito-idp operation on a request body. It returns the
// value to encode as the response body, or an error: a *cognito.Error is
// sent to the client as is; any other error becomes an
// InternalErrorException whose cause is only logged.
type Operation func(ctx context.Context, body []byte) (any, error)

// Op adapts a typed operation to an Operation. The returned Operation
//
//   - decodes body into a new In: an empty body is {}, unknown members are
//     ignored, a body that is not a JSON object or a member of the wrong JSON
//     type fails with SerializationException;
//   - validates In by its `aws` struct tags (see validate.go), failing with
//     InvalidParameterException in AWS's "N validation errors detected" form;
//   - calls f and returns its output; a nil *Out is sent as {}.
//
// Op inspects In's tags when it is called, so a malformed tag (an unknown
// option, a bad bound, a pattern that does not compile) panics while the
// operation table is built, not on the first request.
func Op[In, Out any](f func(context.Context, *In) (*Out, error)) Operation {
	t := reflect.TypeFor[In]()
	if t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("api.Op: input type %s is not a struct", t))
	}
	if _, err := rulesFor(t); err != nil {
		panic("api.Op: " + err.Error())
	}
	return func(ctx context.Context, body []byte) (any, error) {
		in := new(In)
		if err := decode(body, in); err != nil {
			return nil, err
		}
		if err := validate(in); err != nil {
			return nil, err
		}
		out, err := f(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}
}

// decode unmarshals a request body into v (a pointer to a struct), mapping
// every failure to a SerializationException a person can act on.
func decode(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' && !bytes.Equal(body, []byte("null")) {
		if !json.Valid(body) {
			return serializationError("request body is not valid JSON")
		}
		return serializationError("request body must be a JSON object")
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		if typeErr.Field == "" {
			return serializationError("request body must be a JSON object")
		}
		return serializationError("member %s: expected %s, got JSON %s",
			typeErr.Field, describeType(typeErr.Type), typeErr.Value)
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return serializationError("request body is not valid JSON: %s at offset %d", syntaxErr.Error(), syntaxErr.Offset)
	}
	return serializationError("cannot decode request body: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func serializationError(format string, args ...any) *cognito.Error {
	return cognito.Errorf(cognito.SerializationException, format, args...)
}

// describeType names a Go type in the vocabulary of the JSON a client sends.
func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return t.String()
}
