package experiments

import (
	"context"
	"errors"
	"strings"
	"testing"

	"frontiersim/internal/toysim"
)

// TestResumeNamesTheSetting: -resume with an experiment that differs from
// the one in the directory says which setting differs, instead of "hash
// differs" (the seed check could never fire: the seed is in the hash).
func TestResumeNamesTheSetting(t *testing.T) {
	e := loadString(t, toyExperiment)
	dir := t.TempDir()
	run(t, e, dir, RunOptions{Workers: 2})
	cases := []struct {
		old, new string
		want     []string
	}{
		{"seed = 7", "seed = 9", []string{"seed 7 there, 9 here"}},
		{"replications = 12", "replications = 40", []string{"replications 12 there, 40 here"}},
		{"months = 24", "months = 30", []string{"months 24 there, 30 here"}},
		{"buyers = 50", "buyers = 60", []string{"buyers 50 there, 60 here"}},
		{`"toy.noise" = 0.03`, `"toy.noise" = 0.04`, []string{"[scenario] parameter toy.noise 0.03 there, 0.04 here"}},
		{`"toy.cap" = 0.6`, `"toy.cap" = 0.5`, []string{`arm "cap": parameter toy.cap 0.6 there, 0.5 here`}},
		{`name = "slow"`, `name = "slower"`, []string{`arm "slow" is there, not here`, `arm "slower" is here, not there`}},
		{`description = "toy policy study"`, `description = "another"`, []string{"the description differs"}},
		{"seed = 7\nreplications = 12", "seed = 8\nreplications = 13", []string{"seed 7 there, 8 here", "replications 12 there, 13 here"}},
	}
	for _, c := range cases {
		other := loadString(t, strings.Replace(toyExperiment, c.old, c.new, 1))
		_, err := Execute(context.Background(), other, toysim.Simulator{}, RunOptions{Dir: dir, Resume: true})
		if !errors.Is(err, ErrResumeMismatch) {
			t.Errorf("%s: got %v, want ErrResumeMismatch", c.new, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v; want it to say %q", c.new, err, w)
			}
		}
		if strings.Contains(err.Error(), "hash") {
			t.Errorf("%s: %v; want the setting, not the hash", c.new, err)
		}
	}
	// The same experiment resumes (here: finds nothing left to do).
	run(t, e, dir, RunOptions{Workers: 2, Resume: true})
}
