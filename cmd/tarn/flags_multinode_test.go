package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseServeFlags_PoolAndKeyRotation(t *testing.T) {
	env := map[string]string{"TARN_DB_MAX_OPEN_CONNS": "20", "TARN_DB_MAX_IDLE_CONNS": "5",
		"TARN_DB_CONN_MAX_LIFETIME": "30m", "TARN_KEY_ROTATION_INTERVAL": "720h"}
	m, err := parseServeFlags(nil, io.Discard, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if m.DBMaxOpenConns != 20 || m.DBMaxIdleConns != 5 || m.DBConnMaxLifetime != 30*time.Minute || m.KeyRotationInterval != 720*time.Hour {
		t.Errorf("from the environment: %+v", m)
	}
	m, err = parseServeFlags([]string{"--db-max-open-conns", "7", "--key-rotation-interval", "1h"}, io.Discard, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if m.DBMaxOpenConns != 7 || m.KeyRotationInterval != time.Hour || m.DBMaxIdleConns != 5 {
		t.Errorf("flags over the environment: %+v", m)
	}
	m, err = parseServeFlags(nil, io.Discard, noEnv)
	if err != nil || m.DBMaxOpenConns != 0 || m.KeyRotationInterval != 0 {
		t.Errorf("defaults: %+v %v", m, err)
	}
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, map[string]string{"TARN_DB_MAX_OPEN_CONNS": "many"}, "TARN_DB_MAX_OPEN_CONNS"},
		{nil, map[string]string{"TARN_DB_MAX_IDLE_CONNS": "-1"}, "TARN_DB_MAX_IDLE_CONNS"},
		{nil, map[string]string{"TARN_KEY_ROTATION_INTERVAL": "monthly"}, "TARN_KEY_ROTATION_INTERVAL"},
		{[]string{"--key-rotation-interval", "-1h"}, nil, "must not be negative"},
	} {
		_, err := parseServeFlags(tc.args, io.Discard, func(k string) string { return tc.env[k] })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v: error %v, want one mentioning %q", tc.args, tc.env, err, tc.want)
		}
	}
}
