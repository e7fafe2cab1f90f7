package srp

import (
	"encoding/base64"
	"testing"
	"time"
)

func BenchmarkServerVerify(b *testing.B) {
	const pool, user, password = "AbCdEfGhI", "alice", "Passw0rd!"
	salt, v, err := NewVerifier(pool, user, password)
	if err != nil {
		b.Fatal(err)
	}
	client, err := NewClient()
	if err != nil {
		b.Fatal(err)
	}
	bigA, err := ParseA(client.AHex())
	if err != nil {
		b.Fatal(err)
	}
	block := []byte("benchmark-secret-block")
	blockB64 := base64.StdEncoding.EncodeToString(block)
	ts := FormatTimestamp(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC))
	for b.Loop() {
		ch, err := NewServerChallenge(v)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer() // the client's work is not part of the server's cost
		sig, err := client.Signature(pool, user, password, PadHex(salt), Hex(ch.B), blockB64, ts)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if !VerifyClaim(pool, user, bigA, ch.B, ch.PrivB, v, block, ts, sig) {
			b.Fatal("VerifyClaim = false")
		}
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	const pool, user, password = "AbCdEfGhI", "alice", "Passw0rd!"
	salt, v, err := NewVerifier(pool, user, password)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if !CheckPassword(pool, user, password, salt, v) {
			b.Fatal("CheckPassword = false")
		}
	}
}

func BenchmarkClientSignature(b *testing.B) {
	const pool, user, password = "AbCdEfGhI", "alice", "Passw0rd!"
	salt, v, err := NewVerifier(pool, user, password)
	if err != nil {
		b.Fatal(err)
	}
	ch, err := NewServerChallenge(v)
	if err != nil {
		b.Fatal(err)
	}
	blockB64 := base64.StdEncoding.EncodeToString([]byte("benchmark-secret-block"))
	ts := FormatTimestamp(time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC))
	for b.Loop() {
		client, err := NewClient()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := client.Signature(pool, user, password, PadHex(salt), Hex(ch.B), blockB64, ts); err != nil {
			b.Fatal(err)
		}
	}
}
