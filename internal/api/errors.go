package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/tarn-idp/tarn/internal/cognito"
)

// internalMessage is what a client sees of an error that is not a
// *cognito.Error; the cause goes to the log only.
const internalMessage = "An internal error occurred. The request ID in the response headers identifies it in the server log."

// jsonContentType is the content type of every cognito-idp response.
const jsonContentType = "application/x-amz-json-1.1"

// asCognitoError returns err as a *cognito.Error; any other error becomes
// an InternalErrorException with a generic message (internal reports that).
func asCognitoError(err error) (ce *cognito.Error, internal bool) {
	if errors.As(err, &ce) {
		return ce, false
	}
	return cognito.Errorf(cognito.InternalError, internalMessage), true
}

// statusOf maps an exception name to the HTTP status AWS sends with it:
// 500 for the fault shapes, 403 and 401 for the authorisation ones, 400 for
// every other client error. SDKs pick the error type from the name, and use
// the status only to decide on retries.
func statusOf(code string) int {
	switch code {
	case cognito.InternalError, "InternalServerException":
		return http.StatusInternalServerError
	case "ForbiddenException", "AccessDeniedException":
		return http.StatusForbidden
	case cognito.Unauthorized:
		return http.StatusUnauthorized
	}
	return http.StatusBadRequest
}

// errorBody is the JSON body of an error response.
type errorBody struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

// writeAPIError renders e as AWS JSON 1.1 does (api.md §1.3): the name in
// both the x-amzn-ErrorType header (with its trailing colon) and the body's
// __type, the message in both x-amzn-ErrorMessage and the body.
func writeAPIError(w http.ResponseWriter, status int, e *cognito.Error) {
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("x-amzn-ErrorType", e.Code+":")
	h.Set("x-amzn-ErrorMessage", headerSafe(e.Message))
	writeJSONBody(w, status, errorBody{Type: e.Code, Message: e.Message})
}

// writeJSON writes v as a JSON response with the given content type.
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	writeJSONBody(w, status, v)
}

func writeJSONBody(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only for values we built ourselves; never expected
		status = http.StatusInternalServerError
		b = []byte(`{"__type":"InternalErrorException","message":"cannot encode response"}`)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// headerSafe turns a message into a valid single-line header value:
// control characters (newlines above all) become spaces.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
