package experiments

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Shipped holds the experiment files shipped with frontiersim (the
// experiments/shipped directory), embedded in the binary.
//
//go:embed shipped/*.toml
var Shipped embed.FS

// DefaultFile is the embedded default experiment: the baseline and the four
// policy levers.
const DefaultFile = "shipped/default.toml"

// ShippedPrefix names a shipped file from anywhere: Load reads
// "shipped:baseline" (as a FILE or in extends) from the embedded
// experiments/shipped/baseline.toml, whatever the working directory. A
// relative extends inside a shipped file names another shipped file.
const ShippedPrefix = "shipped:"

// ReadShipped reads a shipped file by path ("shipped/baseline.toml").
func ReadShipped(name string) ([]byte, error) { return fs.ReadFile(Shipped, path.Clean(name)) }

// ReadShippedName reads the shipped file NAME ("baseline" or
// "baseline.toml"), the file that shipped:NAME names.
func ReadShippedName(name string) ([]byte, error) {
	n := strings.TrimSuffix(name, ".toml")
	if nameProblem(n) == "" {
		b, err := fs.ReadFile(Shipped, "shipped/"+n+".toml")
		if err == nil || !errors.Is(err, fs.ErrNotExist) {
			return b, err
		}
	}
	return nil, fmt.Errorf("no shipped file %q: %s", name, shippedList())
}

// shippedList names the shipped files for a message.
func shippedList() string {
	var names []string
	for _, f := range ShippedFiles() {
		names = append(names, ShippedPrefix+strings.TrimSuffix(path.Base(f), ".toml"))
	}
	return "the shipped files are " + strings.Join(names, ", ")
}

// LoadDefault loads the embedded default experiment.
func LoadDefault(sim Simulator) (*Experiment, error) { return Load(DefaultFile, ReadShipped, sim) }

// ShippedFiles lists the shipped experiment files.
func ShippedFiles() []string {
	entries, _ := fs.ReadDir(Shipped, "shipped")
	var out []string
	for _, e := range entries {
		out = append(out, path.Join("shipped", e.Name()))
	}
	return out
}
