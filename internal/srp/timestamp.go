package srp

import (
	"errors"
	"fmt"
	"time"
)

// TimestampLayout is the Go layout of Cognito's TIMESTAMP challenge
// response, Java's "EEE MMM d HH:mm:ss z yyyy": English names, 24-hour
// clock, day of month without zero padding, e.g. "Thu Nov 5 09:03:07 UTC 2026".
const TimestampLayout = "Mon Jan 2 15:04:05 MST 2006"

// Errors returned (wrapped) by ParseTimestamp. Cognito answers
// ErrTimestampFormat with InvalidParameterException ("TIMESTAMP format
// should be EEE MMM d HH:mm:ss z yyyy in english.") and
// ErrTimestampNotCanonical with NotAuthorizedException ("Incorrect username
// or password."), because it re-renders the parsed time before hashing.
var (
	ErrTimestampFormat       = errors.New("srp: TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english")
	ErrTimestampNotCanonical = errors.New("srp: TIMESTAMP is not in canonical UTC form")
)

// ParseTimestamp parses a TIMESTAMP and returns it in UTC. The error wraps
// ErrTimestampFormat when s does not parse with TimestampLayout, and
// ErrTimestampNotCanonical when it parses but is not exactly what
// FormatTimestamp would produce: a zero-padded day ("Nov 05"), a wrong
// weekday, extra spaces, or a zone other than UTC.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(TimestampLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q", ErrTimestampFormat, s)
	}
	if name, offset := t.Zone(); name != "UTC" || offset != 0 {
		return time.Time{}, fmt.Errorf("%w: zone %q", ErrTimestampNotCanonical, name)
	}
	if canon := FormatTimestamp(t); canon != s {
		return time.Time{}, fmt.Errorf("%w: %q, want %q", ErrTimestampNotCanonical, s, canon)
	}
	return t.UTC(), nil
}

// FormatTimestamp renders t in UTC with TimestampLayout, the canonical form
// that clients send and ParseTimestamp accepts.
func FormatTimestamp(t time.Time) string {
	return t.UTC().Format(TimestampLayout)
}
