package plots

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestDrawJobsRecoversPanics: a chart whose drawing panics gets a
// *PanicError carrying the panic value and the drawing goroutine's stack;
// the other charts are drawn.
func TestDrawJobsRecoversPanics(t *testing.T) {
	ok := func(string) ([]byte, bool, error) { return []byte("chart"), true, nil }
	boom := func(string) ([]byte, bool, error) {
		var m map[string]int
		//lint:ignore SA5000 the panic is what the test draws
		m["x"]++ // assignment to entry in nil map
		return nil, false, nil
	}
	outs := drawJobs(context.Background(), []job{{name: "a", draw: ok}, {name: "b", draw: boom}, {name: "c", draw: ok}}, "png")
	if len(outs) != 3 {
		t.Fatalf("%d outcomes, want 3", len(outs))
	}
	var p *PanicError
	if !errors.As(outs[1].err, &p) {
		t.Fatalf("panicking chart: error %v (%T), want a *PanicError", outs[1].err, outs[1].err)
	}
	if !strings.Contains(p.Error(), "nil map") || !strings.Contains(string(p.Stack), "TestDrawJobsRecoversPanics") {
		t.Errorf("panic error %q, stack:\n%s", p, p.Stack)
	}
	for _, i := range []int{0, 2} {
		if outs[i].err != nil || string(outs[i].b) != "chart" {
			t.Errorf("chart %d: %q, %v", i, outs[i].b, outs[i].err)
		}
	}
}
