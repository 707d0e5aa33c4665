package main

import (
	"strings"
	"testing"

	"frontiersim/experiments"
)

// fakeBinaryBuild makes the binary's build b for the rest of the test.
func fakeBinaryBuild(t *testing.T, b experiments.Build) {
	t.Helper()
	old := binaryBuild
	binaryBuild = func() experiments.Build { return b }
	t.Cleanup(func() { binaryBuild = old })
}

func TestVersionPrintsRevision(t *testing.T) {
	fakeBinaryBuild(t, experiments.Build{Revision: "4272096b42e90563d5e82013ac49fe55f7492fd1", Time: "2026-11-23T05:11:14Z", Dirty: true})
	code, out, _ := dispatchT(t, "version")
	if want := experiments.ProgramVersion() + " revision 4272096b42e90563d5e82013ac49fe55f7492fd1 (committed 2026-11-23T05:11:14Z, with uncommitted changes)\n"; code != 0 || out != want {
		t.Errorf("version: exit %d, %q; want %q", code, out, want)
	}
	fakeBinaryBuild(t, experiments.Build{})
	if code, out, _ := dispatchT(t, "version"); code != 0 || !strings.Contains(out, "revision unknown") {
		t.Errorf("version without VCS information: exit %d, %q", code, out)
	}
}
