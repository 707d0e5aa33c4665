package experiments

import (
	"embed"
	"io/fs"
	"path"
)

// Shipped holds the experiment files shipped with frontiersim (the
// experiments/shipped directory), embedded in the binary.
//
//go:embed shipped/*.toml
var Shipped embed.FS

// DefaultFile is the embedded default experiment: the baseline and the four
// policy levers.
const DefaultFile = "shipped/default.toml"

// ReadShipped reads a shipped file by path ("shipped/baseline.toml").
func ReadShipped(name string) ([]byte, error) { return fs.ReadFile(Shipped, path.Clean(name)) }

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
