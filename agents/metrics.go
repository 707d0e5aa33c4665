package agents

import "fmt"

// MetricSpec documents one recorded column: its name, unit, definition and
// group (the metrics charted or tabulated together, e.g. "model share").
type MetricSpec struct{ Name, Unit, Description, Group string }

// Metric groups.
const (
	GroupModelShare    = "model share"
	GroupCloudShare    = "cloud share"
	GroupConcentration = "concentration"
	GroupDemand        = "demand and welfare"
	GroupStructure     = "market structure"
	GroupVenture       = "venture returns"
	GroupHyperscaler   = "hyperscaler"
	GroupLab           = "lab"
	GroupLabRevenue    = "lab revenue"
	GroupConflict      = "channel conflict"
	GroupCapability    = "capability"
	GroupFinance       = "finance"
	GroupContracts     = "contracts"
	GroupMA            = "M&A and exit"
	GroupFacts         = "stylized facts"
)

// metricDef is one recorded column: its documentation and the function that
// computes its value from the world's state at the end of a month. A value
// function reads state only.
type metricDef struct {
	MetricSpec
	value func(w *World) float64
}

// metricList collects the metric declarations in column order.
type metricList []metricDef

func (m *metricList) add(group, name, unit, desc string, value func(w *World) float64) {
	*m = append(*m, metricDef{MetricSpec{Name: name, Unit: unit, Description: desc, Group: group}, value})
}

// buildMetrics returns the recorded metrics of world c in column order;
// each section is declared in record.go beside the functions that compute
// its values.
func buildMetrics(c *Cast) []metricDef {
	var m metricList
	m.shareMetrics(c)
	m.marketMetrics()
	m.ventureMetrics()
	m.hyperscalerMetrics(c)
	m.labMetrics(c)
	m.eventMetrics(c)
	m.factMetrics(c)
	return m
}

func specsOf(ms []metricDef) []MetricSpec {
	out := make([]MetricSpec, len(ms))
	for i := range ms {
		out[i] = ms[i].MetricSpec
	}
	return out
}

// Metrics returns the recorded columns of the default world in order (see
// World.Metrics for another world). Units: fractions in [0,1], US$B for
// stocks, US$B/month for flows, HHI points for concentration.
func Metrics() []MetricSpec { return specsOf(buildMetrics(defaultCast)) }

// Metrics returns the recorded columns of the scenario's world in order.
func (s Scenario) Metrics() []MetricSpec { return specsOf(buildMetrics(s.cast)) }

// MetricIndex returns the column index of a metric name of the default world.
func MetricIndex(name string) (int, error) { return metricIndex(Metrics(), name) }

func metricIndex(specs []MetricSpec, name string) (int, error) {
	for i, m := range specs {
		if m.Name == name {
			return i, nil
		}
	}
	return -1, fmt.Errorf("agents: unknown metric %q", name)
}
