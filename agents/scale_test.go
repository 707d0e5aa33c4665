package agents

import "testing"

// price_index falls about tenfold a year, so its charts are logarithmic;
// no other default metric declares a scale.
func TestMetricScales(t *testing.T) {
	for _, m := range Metrics() {
		want := ""
		if m.Name == "price_index" {
			want = "log"
		}
		if m.Scale != want {
			t.Errorf("%s: scale %q, want %q", m.Name, m.Scale, want)
		}
	}
}
