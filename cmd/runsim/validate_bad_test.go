package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/internal/badfile"
)

// realModelParams are the parameter names of the market model that the bad
// files use; a file naming one is skipped while runsim's simulator lacks it
// (that is, until simulator() returns the market model).
var realModelParams = []string{"policy.revenue_share_cap", "policy.ban_exclusive", "policy.switching_cost_multiplier", "logit.beta_k", "bass.p"}

// relEnv returns an env whose output goes to buffers.
func relEnv() (*env, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}, &out, &errb
}

// TestValidateBadFiles runs "runsim validate FILE" on every file of the
// bad-file catalogue: exit code 2, and stderr names the offending key (and
// its line, and the message's gist, where the file gives them).
func TestValidateBadFiles(t *testing.T) {
	files, err := filepath.Glob("../../experiments/testdata/bad/*.toml")
	if err != nil || len(files) < 30 {
		t.Fatalf("bad files: %d, %v", len(files), err)
	}
	have := map[string]bool{}
	for _, p := range simulator().Params() {
		have[p.Name] = true
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range realModelParams {
				if bytes.Contains(b, []byte(p)) && !have[p] {
					t.Skipf("runsim's simulator has no parameter %s (expected until the switch to the market model)", p)
				}
			}
			w, err := badfile.Parse(file, b)
			if err != nil {
				t.Fatal(err)
			}
			e, stdout, stderr := relEnv()
			var code int
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("validate panicked: %v", r)
					}
				}()
				code = dispatch(context.Background(), e, []string{"validate", file})
			}()
			msg := stderr.String()
			if code != exitUsage {
				t.Fatalf("exit code %d, want %d; stdout %q, stderr:\n%s", code, exitUsage, stdout, msg)
			}
			checkNamesProblem(t, w, file, msg)
		})
	}
}

// checkNamesProblem checks that stderr names each key the bad file file
// wants, and where it gives one problem, its message's gist and its line.
func checkNamesProblem(t *testing.T, w badfile.Want, file, msg string) {
	t.Helper()
	for _, k := range w.Keys {
		if k != "-" && !strings.Contains(msg, ": "+k+": ") {
			t.Errorf("stderr does not name key %q:\n%s", k, msg)
		}
	}
	if len(w.Keys) == 1 {
		if w.Msg != "" && !strings.Contains(msg, w.Msg) {
			t.Errorf("stderr lacks %q:\n%s", w.Msg, msg)
		}
		if w.Line > 0 && !strings.Contains(msg, fmt.Sprintf("%s:%d: ", file, w.Line)) {
			t.Errorf("stderr does not point at %s:%d:\n%s", file, w.Line, msg)
		}
	}
}
