package main

import (
	"context"
	"strings"
	"testing"

	"frontiersim/experiments"
)

// dispatchBuild is dispatchT for a binary built as b.
func dispatchBuild(t *testing.T, b experiments.Build, args ...string) (int, string, string) {
	t.Helper()
	e, out, errb := testEnv()
	e.build = &b
	code := dispatch(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestVersionPrintsRevision(t *testing.T) {
	code, out, _ := dispatchBuild(t, experiments.Build{Revision: "4272096b42e90563d5e82013ac49fe55f7492fd1", Time: "2026-11-23T05:11:14Z", Dirty: true}, "version")
	if want := experiments.ProgramVersion() + " revision 4272096b42e90563d5e82013ac49fe55f7492fd1 (committed 2026-11-23T05:11:14Z, with uncommitted changes)\n"; code != 0 || out != want {
		t.Errorf("version: exit %d, %q; want %q", code, out, want)
	}
	if code, out, _ := dispatchBuild(t, experiments.Build{}, "version"); code != 0 || !strings.Contains(out, "revision unknown") {
		t.Errorf("version without VCS information: exit %d, %q", code, out)
	}
}
