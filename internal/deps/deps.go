// Package deps pins the module's third-party requirements while the packages
// that use them are being written. It has no code and is imported by nothing.
package deps

import (
	_ "github.com/BurntSushi/toml"
	_ "gonum.org/v1/gonum/stat"
	_ "gonum.org/v1/gonum/stat/distmv"
	_ "gonum.org/v1/gonum/stat/distuv"
	_ "gonum.org/v1/gonum/stat/samplemv"
	_ "gonum.org/v1/plot"
	_ "gonum.org/v1/plot/palette/moreland"
	_ "gonum.org/v1/plot/plotter"
	_ "gonum.org/v1/plot/vg/vgimg"
	_ "gonum.org/v1/plot/vg/vgsvg"
)
