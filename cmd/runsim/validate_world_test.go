package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontiersim/internal/badfile"
)

// TestValidateBadWorlds runs "runsim validate" on an experiment naming each
// file of the bad-world catalogue (agents/testdata/badworlds) as its world:
// exit code 2, and stderr names the world file, the line and the key, with
// the message's gist.
func TestValidateBadWorlds(t *testing.T) {
	worlds, err := filepath.Glob("../../agents/testdata/badworlds/*.toml")
	if err != nil || len(worlds) < 10 {
		t.Fatalf("bad worlds: %d, %v", len(worlds), err)
	}
	for _, world := range worlds {
		t.Run(filepath.Base(world), func(t *testing.T) {
			abs, err := filepath.Abs(world)
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(abs)
			if err != nil {
				t.Fatal(err)
			}
			w, err := badfile.Parse(abs, b)
			if err != nil {
				t.Fatal(err)
			}
			exp := filepath.Join(t.TempDir(), "exp.toml")
			text := fmt.Sprintf("name = \"bad-world\"\nworld = %q\nreplications = 2\n", abs)
			if err := os.WriteFile(exp, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			e, stdout, stderr := relEnv()
			code := dispatch(context.Background(), e, []string{"validate", exp})
			msg := stderr.String()
			if code != exitUsage {
				t.Fatalf("exit code %d, want %d; stdout %q, stderr:\n%s", code, exitUsage, stdout, msg)
			}
			if !strings.Contains(msg, abs) {
				t.Errorf("stderr does not name the world file %s:\n%s", abs, msg)
			}
			checkNamesProblem(t, w, abs, msg)
		})
	}
}
