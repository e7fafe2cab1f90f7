package api

import (
	"net/http"

	"github.com/tarn-idp/tarn/internal/cognito"
	"github.com/tarn-idp/tarn/internal/store"
)

// The GET endpoints answer plain JSON (application/json), errors as
// {"__type":…,"message":…} with 404 for an unknown pool.

// serveHealth is the load balancer's probe: 200 {"status":"ok","database":"ok"}
// when Config.Health (the database check) passes, else 503
// {"status":"unavailable","database":"unreachable","error":…}.
func (s *server) serveHealth(w http.ResponseWriter, r *http.Request) {
	type healthBody struct {
		Status   string `json:"status"`
		Database string `json:"database,omitempty"`
		Error    string `json:"error,omitempty"`
	}
	if s.health == nil {
		writeJSON(w, http.StatusOK, "application/json", healthBody{Status: "ok"})
		return
	}
	if err := s.health(r.Context()); err != nil {
		info(w).cause = err
		writeJSON(w, http.StatusServiceUnavailable, "application/json",
			healthBody{Status: "unavailable", Database: "unreachable", Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, "application/json", healthBody{Status: "ok", Database: "ok"})
}

// serveMessages lists the outbox, oldest first (newest last), filtered by
// the poolId and username query parameters. An empty outbox is [].
func (s *server) serveMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	msgs, err := s.backend.Messages(r.Context(), store.MessageFilter{PoolID: q.Get("poolId"), Username: q.Get("username")})
	if err != nil {
		s.writeRouteError(w, err)
		return
	}
	if msgs == nil {
		msgs = []cognito.Message{}
	}
	writeJSON(w, http.StatusOK, "application/json", msgs)
}

// serveInvocations lists recorded trigger invocations, oldest first,
// filtered by the poolId and trigger query parameters. None is [].
func (s *server) serveInvocations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	invs, err := s.backend.Invocations(r.Context(), store.InvocationFilter{PoolID: q.Get("poolId"), Trigger: q.Get("trigger")})
	if err != nil {
		s.writeRouteError(w, err)
		return
	}
	if invs == nil {
		invs = []cognito.Invocation{}
	}
	writeJSON(w, http.StatusOK, "application/json", invs)
}

func (s *server) serveJWKS(w http.ResponseWriter, r *http.Request) {
	doc, err := s.backend.JWKS(r.Context(), r.PathValue("poolId"))
	if err != nil {
		s.writeRouteError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(doc)
}

func (s *server) serveDiscovery(w http.ResponseWriter, r *http.Request) {
	doc, err := s.backend.Discovery(r.Context(), r.PathValue("poolId"))
	if err != nil {
		s.writeRouteError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, "application/json", doc)
}

func (s *server) serveNotFound(w http.ResponseWriter, r *http.Request) {
	s.writeRouteError(w, cognito.Errorf("NotFoundException",
		"tarn has nothing at %s %s; cognito-idp operations are POST / with an X-Amz-Target header", r.Method, r.URL.Path))
}

// writeRouteError renders an error of a GET endpoint.
func (s *server) writeRouteError(w http.ResponseWriter, err error) {
	ce, internal := asCognitoError(err)
	in := info(w)
	in.code = ce.Code
	if internal {
		in.cause = err
	}
	status := statusOf(ce.Code)
	if ce.Code == cognito.ResourceNotFound || ce.Code == "NotFoundException" {
		status = http.StatusNotFound
	}
	writeJSON(w, status, "application/json", errorBody{Type: ce.Code, Message: ce.Message})
}
