package userpool

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestTimeUUID_OrdersWithinAMillisecond(t *testing.T) {
	base := time.Date(2026, 11, 22, 1, 2, 3, 456789012, time.UTC)
	id := timeUUID(base)
	u, err := uuid.Parse(id)
	if err != nil || u.Version() != 7 || u.Variant() != uuid.RFC4122 {
		t.Fatalf("timeUUID = %q: version %d variant %v err %v, want an RFC 9562 version 7 UUID", id, u.Version(), u.Variant(), err)
	}
	got, ok := uuidTime(id)
	if !ok || got.Sub(base).Abs() > time.Microsecond {
		t.Fatalf("uuidTime(timeUUID(%v)) = %v, %v", base, got, ok)
	}
	// A microsecond apart is enough to tell which came first.
	later := base.Add(time.Microsecond)
	a, _ := uuidTime(timeUUID(base))
	b, _ := uuidTime(timeUUID(later))
	if !a.Before(later) || b.Before(later.Add(-time.Microsecond/2)) {
		t.Errorf("1µs apart: %v and %v do not straddle %v", a, b, later)
	}
	if timeUUID(base) == timeUUID(base) {
		t.Error("two ids for one instant are equal")
	}
	if _, ok := uuidTime(uuid.NewString()); ok {
		t.Error("a version 4 UUID read as a time")
	}
	if _, ok := uuidTime("not-a-uuid"); ok {
		t.Error("garbage read as a time")
	}
}
