package agents

import (
	"reflect"
	"testing"
)

// TestShippedWorldMatchesScenario: the shipped world holds exactly the
// values of the Go scenario it replaces: every world parameter's default
// equals the scenario parameter of the same name, and the events equal
// HistoricalEvents.
func TestShippedWorldMatchesScenario(t *testing.T) {
	c, err := ShippedWorld(DefaultWorld)
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultScenario()
	n := 0
	for _, wp := range c.params {
		v, err := s.Get(wp.spec.Name)
		if err != nil {
			continue // a parameter new with the world file
		}
		n++
		pd, _ := findParam(wp.spec.Name)
		want := pd.spec
		want.Default = v
		if wp.spec != want {
			t.Errorf("%s: world %+v\n   scenario %+v", wp.spec.Name, wp.spec, want)
		}
	}
	if n != len(c.params)-2 {
		t.Errorf("%d of %d world parameters are scenario parameters, want all but 2", n, len(c.params))
	}
	if !reflect.DeepEqual(c.Events, HistoricalEvents()) {
		t.Errorf("events differ:\n%+v\n%+v", c.Events, HistoricalEvents())
	}
}
