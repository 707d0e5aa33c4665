package engine

import (
	"encoding/hex"
	"testing"
)

// Golden first draws of named streams (see TestStreamGoldenFirstDraws),
// recorded when the mixing function was fixed.
var (
	goldenAdoption     = [3]uint64{0xb27b7a7709865acb, 0x2410b8ff00fb3efb, 0xbaea0a45797979fb}
	goldenAdoptionRep1 = [3]uint64{0xeb21220b19a5f2ce, 0x49460f4c9044b674, 0x88230d1eafd958b5}
	goldenFunding      = [3]uint64{0xaf55ea5a9d59dd50, 0xc2b295bbfa805829, 0x6ee5e898b11ea87b}
)

// TestStreamKeyDocumented checks Key against the documented mixing function,
// computed independently (Python's hashlib.sha256 over the same bytes).
func TestStreamKeyDocumented(t *testing.T) {
	const want = "90568b1527ed24bc56649255ddf85d5ac5115eda792f843292723d23139eb471"
	k := NewStreams(1, 0).Key("adoption")
	if got := hex.EncodeToString(k[:]); got != want {
		t.Fatalf("key %s, want %s", got, want)
	}
}
