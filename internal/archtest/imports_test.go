package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "frontiersim"

type pkg struct {
	ImportPath string
	Deps       []string
	Standard   bool
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

// standard reports whether an import path belongs to the standard library:
// its first element has no dot (and it is not ours).
func standard(dep string) bool {
	first, _, _ := strings.Cut(dep, "/")
	return !strings.Contains(first, ".") && !ours(dep)
}

// allowed lists, for each of our packages (a top-level directory or a
// package path), which of our packages it may depend on (directly or not):
// a top-level directory or a package path. Packages not listed may depend
// on anything of ours except cmd.
var allowed = map[string][]string{
	"engine":            {},
	"market":            {"engine"},
	"results":           {},
	"plots":             {"results"},
	"benchmodels":       {"engine"},
	"agents":            {"engine", "market", "internal/tomlkeys"},
	"internal/tomlkeys": {},
}

func TestImportEdges(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < 3 {
		t.Fatalf("only %d packages listed", len(pkgs))
	}
	for _, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		for _, d := range p.Deps {
			drel := strings.TrimPrefix(d, module+"/")
			if ours(d) && (drel == "cmd" || strings.HasPrefix(drel, "cmd/")) {
				t.Errorf("%s imports %s: nothing may import cmd/", p.ImportPath, d)
			}
		}
		top, _, _ := strings.Cut(rel, "/")
		allow, ok := allowed[rel]
		if !ok {
			allow, ok = allowed[top]
		}
		if !ok {
			continue
		}
		for _, d := range p.Deps {
			if !ours(d) {
				if top == "engine" && !standard(d) {
					t.Errorf("%s depends on %s: engine may use the standard library only", p.ImportPath, d)
				}
				continue
			}
			drel := strings.TrimPrefix(d, module+"/")
			dtop, _, _ := strings.Cut(drel, "/")
			if dtop == top {
				continue
			}
			okDep := false
			for _, a := range allow {
				if dtop == a || drel == a {
					okDep = true
				}
			}
			if !okDep {
				t.Errorf("%s depends on %s; %s may depend only on %v of ours", p.ImportPath, d, top, allow)
			}
		}
	}
}
