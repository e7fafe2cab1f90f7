package api_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncWriter is a log sink tests can wait on: a request's log line is
// written after its response may already have reached the client.
type syncWriter struct {
	mu      sync.Mutex
	w       *bytes.Buffer
	changed chan struct{}
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
	return s.w.Write(p)
}

// waitFor returns the log once cond holds for it, failing the test after a
// deadline.
func (s *syncWriter) waitFor(t *testing.T, cond func(log string) bool) string {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		s.mu.Lock()
		log := s.w.String()
		if cond(log) {
			s.mu.Unlock()
			return log
		}
		if s.changed == nil {
			s.changed = make(chan struct{})
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("log never satisfied the condition; log so far:\n%s", log)
		}
	}
}

// waitLines waits until the log holds n lines and returns them.
func (s *syncWriter) waitLines(t *testing.T, n int) []string {
	t.Helper()
	log := s.waitFor(t, func(log string) bool { return strings.Count(log, "\n") >= n })
	return strings.Split(strings.TrimSpace(log), "\n")
}
