package srp

import (
	"math/big"
	"sync"
)

// Fixed-base exponentiation for g = 2: every login computes g^e mod N for
// a secret e of at most 256 bits (the password's x, the server's b), so a
// precomputed table turns ~256 modular squarings into 32 modular
// multiplications. table[j][d] = g^(d·256^j) mod N for the 32 byte
// positions j of a 256-bit exponent and the 256 byte values d (about 3 MiB,
// built once, lazily). Like math/big's Exp it is not constant-time; it
// leaks no more than the general-purpose Exp it replaces.
const (
	fbWindows = 32 // 256-bit exponents, one byte per window
	fbBase    = 256
)

var (
	fbOnce  sync.Once
	fbTable [][]*big.Int
)

func buildFixedBase() {
	fbTable = make([][]*big.Int, fbWindows)
	pow := new(big.Int).Set(G) // g^(256^j)
	for j := 0; j < fbWindows; j++ {
		row := make([]*big.Int, fbBase)
		row[0] = big.NewInt(1)
		row[1] = new(big.Int).Set(pow)
		for d := 2; d < fbBase; d++ {
			row[d] = new(big.Int).Mul(row[d-1], pow)
			row[d].Mod(row[d], N)
		}
		fbTable[j] = row
		pow = new(big.Int).Mul(row[fbBase-1], pow) // g^(255·256^j) · g^(256^j)
		pow.Mod(pow, N)
	}
}

// expG returns g^e mod N; exponents wider than 256 bits take math/big's
// general path.
func expG(e *big.Int) *big.Int {
	if e.Sign() < 0 || e.BitLen() > 8*fbWindows {
		return new(big.Int).Exp(G, e, N)
	}
	fbOnce.Do(buildFixedBase)
	var buf [fbWindows]byte
	e.FillBytes(buf[:])
	r := big.NewInt(1)
	for j := 0; j < fbWindows; j++ {
		d := buf[fbWindows-1-j]
		if d == 0 {
			continue
		}
		r.Mul(r, fbTable[j][d])
		r.Mod(r, N)
	}
	return r
}
