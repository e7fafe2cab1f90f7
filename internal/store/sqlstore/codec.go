package sqlstore

import (
	"fmt"
	"strings"
	"time"
)

// Times are stored as BIGINT microseconds since the Unix epoch, the same
// on every engine. The zero time.Time is stored as its own microsecond
// count (year 1), so it sorts first and reads back as the zero value.
// Precision below a microsecond is dropped.

var zeroMicros = time.Time{}.UnixMicro()

// ts is the column value of t.
func ts(t time.Time) int64 { return t.UnixMicro() }

// timeOf is the time.Time of a column value, in UTC.
func timeOf(us int64) time.Time {
	if us == zeroMicros {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// timeCol scans a time column into *t.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(v any) error {
	switch x := v.(type) {
	case int64:
		*c.t = timeOf(x)
	case nil:
		*c.t = time.Time{}
	default:
		return fmt.Errorf("sqlstore: time column holds %T", v)
	}
	return nil
}

// blob is the column value of b: NULL for nil.
func blob(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// lower is the stored form of a case-insensitive column: NULL when the
// attribute is absent.
func lower(v string, ok bool) any {
	if !ok {
		return nil
	}
	return strings.ToLower(v)
}

// after is the upper bound of the range of strings that start with prefix
// in byte-wise (code point) order: the smallest string greater than every
// such string. ok is false when there is none (no upper bound needed).
func after(prefix string) (bound string, ok bool) {
	r := []rune(prefix)
	for i := len(r) - 1; i >= 0; i-- {
		next := r[i] + 1
		if next >= 0xD800 && next <= 0xDFFF { // skip surrogates
			next = 0xE000
		}
		if next <= 0x10FFFF {
			r[i] = next
			return string(r[:i+1]), true
		}
	}
	return "", false
}

// args collects the arguments of a query built piece by piece.
type args []any

// add appends v and returns its placeholder.
func (a *args) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// equal is the WHERE condition of a listing's optional filters: column =
// value for each pair whose value is not empty, "1 = 1" when none is.
func equal(a *args, columnValue ...string) string {
	where := []string{"1 = 1"}
	for i := 0; i+1 < len(columnValue); i += 2 {
		if v := columnValue[i+1]; v != "" {
			where = append(where, columnValue[i]+" = "+a.add(v))
		}
	}
	return strings.Join(where, " AND ")
}

// limit is the LIMIT clause of a page: none for Limit <= 0.
func limit(a *args, n int) string {
	if n <= 0 {
		return ""
	}
	return " LIMIT " + a.add(n)
}
