package agents

import (
	"fmt"
	"slices"
	"strings"
)

// MetricSpec documents one recorded column: its name, unit, definition and
// group (the metrics charted or tabulated together, e.g. "model share").
// Scale is "log" for a positive metric that spans orders of magnitude
// (charted on a logarithmic axis), empty otherwise.
type MetricSpec struct{ Name, Unit, Description, Group, Scale string }

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
	GroupCompute       = "compute and capital"
	GroupContracts     = "contracts"
	GroupMA            = "M&A and exit"
	GroupFacts         = "stylized facts"
	// GroupCalibration is recorded only on request (OptionalGroups): the
	// observables the calibration's stylized facts read from the buyer
	// population and the backer relationships.
	GroupCalibration = "calibration"
)

// optionalGroups are the metric groups a world records only when it is
// built with them (NewWorld's groups), after the default columns; the
// default experiment records none of them.
var optionalGroups = []string{GroupCalibration}

// OptionalGroups returns the metric groups that are off by default.
func OptionalGroups() []string { return slices.Clone(optionalGroups) }

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

// logScale declares the metric added last to be charted on a log axis.
func (m *metricList) logScale() { (*m)[len(*m)-1].Scale = "log" }

// buildMetrics returns the recorded metrics of world c in column order:
// the default columns, then those of the named optional groups. Each
// section is declared in record.go beside the functions that compute its
// values.
func buildMetrics(c *Cast, groups []string) ([]metricDef, error) {
	for _, g := range groups {
		if !slices.Contains(optionalGroups, g) {
			return nil, fmt.Errorf("agents: %q is not an optional metric group (the optional groups are %s)", g, strings.Join(optionalGroups, ", "))
		}
	}
	var m metricList
	m.shareMetrics(c)
	m.marketMetrics()
	m.welfareMetrics(c)
	m.ventureMetrics()
	m.hyperscalerMetrics(c)
	m.labMetrics(c)
	m.eventMetrics(c)
	m.bargainMetrics(c)
	m.exclusivityMetrics(c)
	m.agreementMetrics(c)
	m.controlMetrics(c)
	m.governanceMetrics(c)
	m.steeringMetrics()
	m.factMetrics(c)
	if slices.Contains(groups, GroupCalibration) {
		m.calibrationMetrics(c)
	}
	return m, nil
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
func Metrics() []MetricSpec {
	ms, _ := buildMetrics(defaultCast, nil) // no optional group: no error
	return specsOf(ms)
}

// MetricsWith returns the recorded columns of the default world with the
// named optional groups (OptionalGroups) too, as NewWorld records them.
func MetricsWith(groups ...string) ([]MetricSpec, error) {
	ms, err := buildMetrics(defaultCast, groups)
	if err != nil {
		return nil, err
	}
	return specsOf(ms), nil
}

// Metrics returns the recorded columns of the scenario's world in order.
func (s Scenario) Metrics() []MetricSpec {
	ms, _ := buildMetrics(s.cast, nil) // no optional group: no error
	return specsOf(ms)
}

// MetricsWith returns the recorded columns of the scenario's world with the
// named optional groups (OptionalGroups) too, as NewWorld records them.
func (s Scenario) MetricsWith(groups ...string) ([]MetricSpec, error) {
	ms, err := buildMetrics(s.cast, groups)
	if err != nil {
		return nil, err
	}
	return specsOf(ms), nil
}

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
