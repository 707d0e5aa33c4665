package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
)

const module = "frontiersim"

type pkg struct {
	ImportPath string
	Imports    []string // direct imports of the package (tests excluded)
	Deps       []string // every dependency, direct or not (tests excluded)
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-json", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(out)
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func ours(dep string) bool { return dep == module || strings.HasPrefix(dep, module+"/") }

// rel is an import path of ours relative to the module.
func rel(path string) string { return strings.TrimPrefix(strings.TrimPrefix(path, module), "/") }

// standard reports whether an import path belongs to the standard library:
// its first element has no dot (and it is not ours).
func standard(dep string) bool {
	first, _, _ := strings.Cut(dep, "/")
	return !strings.Contains(first, ".") && !ours(dep)
}

// rule is what one package may import.
type rule struct {
	// ours lists the packages of ours it may depend on, directly or not.
	ours []string
	// external lists the import-path prefixes outside the standard library
	// that it may import directly; nil allows any (the module's go.mod
	// lists them all), an empty list none.
	external []string
}

var (
	stdOnly   = []string{}
	gonumOnly = []string{"gonum.org/v1/gonum/"}
)

// allowed states, for every package of the module, which of our packages
// it may depend on (directly or not) and what it may import from outside
// the standard library. A package not listed here fails the test: a new
// package states its edges when it is added.
var allowed = map[string]rule{
	// The kernel and the economics.
	"engine": {ours: nil, external: stdOnly},
	"market": {ours: []string{"engine"}, external: stdOnly},
	// Domain-free building blocks of the pipeline.
	"results":   {ours: nil, external: stdOnly},
	"stats":     {ours: nil, external: gonumOnly},
	"design":    {ours: nil, external: gonumOnly},
	"discovery": {ours: nil, external: gonumOnly},
	"simulator": {ours: []string{"engine", "results"}, external: stdOnly},
	// Fitting any model's parameters to observed targets (runsim calibrate).
	"estimation": {ours: []string{"results", "simulator", "engine", "internal/tomlkeys"}, external: []string{"github.com/BurntSushi/toml", "gonum.org/v1/gonum/"}},

	// The tables as Parquet, apart so that only what writes them links the library.
	"results/parquetout": {ours: []string{"results"}, external: []string{"github.com/parquet-go/parquet-go"}},

	// The model, the standard ABM benchmarks, the charts.
	"agents":      {ours: []string{"engine", "market", "internal/tomlkeys"}, external: []string{"github.com/BurntSushi/toml"}},
	"benchmodels": {ours: []string{"engine"}, external: stdOnly},
	"plots":       {ours: []string{"results", "stats"}},
	"dashboard":   {ours: []string{"results", "stats"}, external: gonumOnly},
	// The experiment machinery knows no model; marketsim plugs the market
	// model into it and never imports it. And the calibration.
	"experiments": {ours: []string{"engine", "results", "results/parquetout", "simulator", "stats", "design", "discovery", "internal/tomlkeys"}},
	"marketsim":   {ours: []string{"simulator", "agents", "engine", "results", "market", "internal/tomlkeys"}, external: stdOnly},
	"calibration": {ours: []string{"experiments", "marketsim", "plots", "simulator", "results", "results/parquetout", "engine", "stats", "design", "discovery", "agents", "market", "internal/tomlkeys"}},
	// Commands.
	"cmd/runsim":    {ours: []string{"estimation", "experiments", "marketsim", "plots", "dashboard", "benchmodels", "engine", "results", "results/parquetout", "simulator", "stats", "design", "discovery", "agents", "market", "internal/tomlkeys", "docs"}},
	"cmd/calibrate": {ours: []string{"calibration", "experiments", "marketsim", "plots", "simulator", "results", "results/parquetout", "engine", "stats", "design", "discovery", "agents", "market", "internal/tomlkeys"}},
	// Tests and tools.
	"deploy/slurmtest":    {ours: nil},
	"internal/archtest":   {ours: nil},
	"internal/badfile":    {ours: nil, external: stdOnly},
	"internal/golden":     {ours: nil, external: stdOnly},
	"internal/tomlkeys":   {ours: nil, external: stdOnly},
	"internal/toysim":     {ours: []string{"simulator", "engine", "results", "internal/tomlkeys"}, external: stdOnly},
	"internal/benchtable": {ours: []string{"experiments", "marketsim", "engine", "results", "results/parquetout", "simulator", "stats", "design", "discovery", "agents", "market", "internal/tomlkeys"}},

	// The generated documents the binaries show, and the headless-browser
	// check of the HTML reports.
	"docs":                 {ours: nil, external: stdOnly},
	"internal/browsertest": {ours: nil, external: stdOnly},
}

// testOnly are test support: no package may import them outside its tests.
var testOnly = []string{"internal/toysim", "internal/golden", "internal/badfile", "internal/browsertest"}

func TestImportEdges(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < 3 {
		t.Fatalf("only %d packages listed", len(pkgs))
	}
	listed := map[string]bool{}
	for _, p := range pkgs {
		name := rel(p.ImportPath)
		listed[name] = true
		r, ok := allowed[name]
		if !ok {
			t.Errorf("%s is not in archtest's allowed list: state what it may import", p.ImportPath)
			continue
		}
		for _, d := range p.Deps {
			if !ours(d) {
				continue
			}
			dr := rel(d)
			switch {
			case dr == "cmd" || strings.HasPrefix(dr, "cmd/"):
				t.Errorf("%s depends on %s: nothing may import cmd/", p.ImportPath, d)
			case slices.Contains(testOnly, dr):
				t.Errorf("%s depends on %s, which is test support: only tests may import it", p.ImportPath, d)
			case !slices.Contains(r.ours, dr):
				t.Errorf("%s depends on %s; %s may depend only on %v of ours", p.ImportPath, d, name, r.ours)
			}
		}
		if r.external == nil {
			continue
		}
		for _, d := range p.Imports {
			if ours(d) || standard(d) {
				continue
			}
			ok := false
			for _, prefix := range r.external {
				ok = ok || strings.HasPrefix(d, prefix)
			}
			if !ok {
				what := "the standard library only"
				if len(r.external) > 0 {
					what = "the standard library and " + strings.Join(r.external, ", ")
				}
				t.Errorf("%s imports %s: %s may import %s", p.ImportPath, d, name, what)
			}
		}
	}
	var stale []string
	for name := range allowed {
		if !listed[name] {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	for _, name := range stale {
		t.Errorf("archtest's allowed list names %s, which is not a package: remove it", name)
	}
}

// models are the packages of a model: the AI-market model, its economics,
// its adapter, and the benchmark models.
var models = []string{"agents", "market", "marketsim", "benchmodels"}

// modelFree are the packages that know no model: the experiment machinery
// runs whatever simulator.Simulator it is given, and the building blocks
// below it are domain-free.
var modelFree = []string{"experiments", "simulator", "engine", "results", "stats", "design", "discovery", "plots", "dashboard"}

// TestExperimentsKnowNoModel: the allowed list gives no model-free package
// a model package (so TestImportEdges enforces it), and go list agrees:
// go list -deps ./experiments names none of them.
func TestExperimentsKnowNoModel(t *testing.T) {
	for _, name := range modelFree {
		for _, m := range models {
			if slices.Contains(allowed[name].ours, m) {
				t.Errorf("archtest's allowed list lets %s depend on the model package %s", name, m)
			}
		}
	}
	for _, p := range listPackages(t) {
		if !slices.Contains(modelFree, rel(p.ImportPath)) {
			continue
		}
		for _, d := range p.Deps {
			if slices.Contains(models, rel(d)) {
				t.Errorf("%s depends on the model package %s", p.ImportPath, d)
			}
		}
	}
}
