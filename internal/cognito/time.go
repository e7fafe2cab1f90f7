package cognito

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// Timestamp is a point in time encoded the AWS JSON way: a number of epoch
// seconds with a millisecond fraction (1548108676.163).
type Timestamp struct{ time.Time }

// At wraps t, truncated to milliseconds as AWS reports it.
func At(t time.Time) Timestamp { return Timestamp{t.UTC().Truncate(time.Millisecond)} }

func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	ms := t.UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)), nil
}

func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Timestamp{}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	sec, frac := math.Modf(f)
	*t = Timestamp{time.Unix(int64(sec), int64(math.Round(frac*1000))*int64(time.Millisecond)).UTC()}
	return nil
}
