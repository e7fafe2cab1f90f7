// Package api serves Cognito's user-pool API (cognito-idp) over AWS JSON
// 1.1: it picks the operation named by the X-Amz-Target header, decodes and
// validates the JSON body, runs the operation and encodes its output or its
// error exactly as AWS does, so that unmodified SDKs recognise both. It also
// serves the few GET endpoints that sit beside the API on the same port:
// each pool's JWKS and OpenID discovery documents and tarn's own
// /_tarn/health and /_tarn/messages.
//
// Besides oauth, this is the only package that knows HTTP requests. It knows
// nothing of the flows: operations arrive as a table of Operation values
// (see operations.go), everything else through the Backend interface.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// TargetPrefix is the service part of every X-Amz-Target header value.
const TargetPrefix = "AWSCognitoIdentityProviderService."

// MaxRequestBytes bounds a request body. Larger bodies are refused with a
// SerializationException and status 413 before any operation runs.
const MaxRequestBytes = 1 << 20

// Backend serves the endpoints that are not cognito-idp operations.
// Errors that are *cognito.Error keep their meaning (ResourceNotFoundException
// becomes 404); any other error is a 500.
type Backend interface {
	// Messages lists the outbox, oldest first.
	Messages(ctx context.Context, f store.MessageFilter) ([]cognito.Message, error)
	// Invocations lists the trigger invocation log, oldest first.
	Invocations(ctx context.Context, f store.InvocationFilter) ([]cognito.Invocation, error)
	// JWKS returns the pool's JSON Web Key Set document.
	JWKS(ctx context.Context, poolID string) ([]byte, error)
	// Discovery returns the pool's OpenID configuration document.
	Discovery(ctx context.Context, poolID string) (map[string]any, error)
}

// Config wires the handler.
type Config struct {
	// Ops maps operation names ("SignUp") to their implementation. Names
	// not in it answer UnknownOperationException.
	Ops map[string]Operation
	// Backend serves the GET endpoints; when nil they answer 404.
	Backend Backend
	// Health reports whether the server can serve (for example, whether the
	// database answers); nil means always healthy.
	Health func(ctx context.Context) error
	// Logger receives one line per request (slog.Default when nil).
	Logger *slog.Logger
}

// server is the http.Handler New returns.
type server struct {
	ops     map[string]Operation
	backend Backend
	health  func(context.Context) error
	log     *slog.Logger
	mux     *http.ServeMux
}

// New returns the handler for the cognito-idp API and its companion
// endpoints:
//
//	POST <any path> with X-Amz-Target     a cognito-idp operation
//	OPTIONS <any path>                    a CORS preflight
//	GET /<poolId>/.well-known/jwks.json   Backend.JWKS
//	GET /<poolId>/.well-known/openid-configuration  Backend.Discovery
//	GET /_tarn/health                     Config.Health
//	GET /_tarn/messages?poolId=&username= Backend.Messages
//	GET /_tarn/invocations?poolId=&trigger= Backend.Invocations
//
// Every response carries x-amzn-RequestId and the CORS headers browsers
// need to call the API from a web page. A panic in an operation or endpoint
// is answered with InternalErrorException and the server keeps serving.
func New(c Config) http.Handler {
	s := &server{ops: c.Ops, backend: c.Backend, health: c.Health, log: c.Logger, mux: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.mux.HandleFunc("GET /_tarn/health", s.serveHealth)
	if s.backend != nil {
		s.mux.HandleFunc("GET /_tarn/messages", s.serveMessages)
		s.mux.HandleFunc("GET /_tarn/invocations", s.serveInvocations)
		s.mux.HandleFunc("GET /{poolId}/.well-known/jwks.json", s.serveJWKS)
		s.mux.HandleFunc("GET /{poolId}/.well-known/openid-configuration", s.serveDiscovery)
	}
	s.mux.HandleFunc("/", s.serveNotFound)
	return s
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := begin(w, r)
	defer s.finish(rec, r)

	setCORS(rec.Header(), r)
	switch {
	case r.Method == http.MethodOptions:
		servePreflight(rec, r)
	case r.Method == http.MethodPost && (r.Header.Get("X-Amz-Target") != "" || r.URL.Path == "/"):
		s.serveOperation(rec, r)
	default:
		rec.info.op = r.URL.Path
		s.mux.ServeHTTP(rec, r)
	}
}

// CORS (api.md §1.4): browser SDKs call the public and token operations
// straight from web pages and read the x-amzn-* headers of errors.
const (
	exposeHeaders  = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"
	allowMethods   = "POST, GET, OPTIONS"
	defaultHeaders = "content-type, x-amz-target, x-amz-user-agent, cache-control, amz-sdk-invocation-id, amz-sdk-request, authorization, x-amz-date, x-amz-security-token"
)

// setCORS adds the headers every response carries: the origin is echoed
// (or * without one) and the x-amzn-* headers are exposed.
func setCORS(h http.Header, r *http.Request) {
	if origin := r.Header.Get("Origin"); origin != "" {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
	} else {
		h.Set("Access-Control-Allow-Origin", "*")
	}
	h.Set("Access-Control-Expose-Headers", exposeHeaders)
}

// servePreflight answers an OPTIONS preflight for any path, allowing the
// headers the browser asks for (or the ones Cognito's browser SDKs send).
func servePreflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", allowMethods)
	if req := r.Header.Get("Access-Control-Request-Headers"); strings.TrimSpace(req) != "" {
		h.Set("Access-Control-Allow-Headers", req)
		h.Add("Vary", "Access-Control-Request-Headers")
	} else {
		h.Set("Access-Control-Allow-Headers", defaultHeaders)
	}
	h.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusOK)
}
