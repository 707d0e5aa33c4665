package plots

import (
	"image/color"
)

// okabeIto is the Okabe-Ito palette (Okabe & Ito 2008), distinguishable
// under the common forms of colour-vision deficiency. Black comes first: the
// baseline arm is always drawn in black, the policy arms in the other colours
// in plan order. Yellow is last because it is faint on white.
var okabeIto = []color.NRGBA{
	{0x00, 0x00, 0x00, 0xff}, // black
	{0xe6, 0x9f, 0x00, 0xff}, // orange
	{0x56, 0xb4, 0xe9, 0xff}, // sky blue
	{0x00, 0x9e, 0x73, 0xff}, // bluish green
	{0xd5, 0x5e, 0x00, 0xff}, // vermillion
	{0x00, 0x72, 0xb2, 0xff}, // blue
	{0xcc, 0x79, 0xa7, 0xff}, // reddish purple
	{0xf0, 0xe4, 0x42, 0xff}, // yellow
}

// ArmColor returns the colour of arm i of a plan (0 is the baseline). The
// same arm has the same colour in every chart. Past eight arms the colours
// other than black repeat, darkened, so that neighbours still differ and no
// arm looks like the baseline.
func ArmColor(i int) color.NRGBA {
	if i < 0 {
		i = 0
	}
	if i < len(okabeIto) {
		return okabeIto[i]
	}
	// Past the palette: its colours but black, darkened (black is the
	// baseline's alone).
	return shade(okabeIto[1+(i-len(okabeIto))%(len(okabeIto)-1)], 0.6)
}

// SeriesColor returns the colour of the k-th series of one population (a
// lab or a cloud in the market-share charts, a metric in the calibration's
// charts). Black is kept for the baseline arm, so it starts with orange;
// grey replaces black at the end of the cycle.
func SeriesColor(k int) color.NRGBA {
	cyc := append(append([]color.NRGBA{}, okabeIto[1:]...), color.NRGBA{0x99, 0x99, 0x99, 0xff})
	c := cyc[k%len(cyc)]
	if k/len(cyc) > 0 {
		c = shade(c, 0.6)
	}
	return c
}

// withAlpha returns c with alpha a. Translucent fills must be NRGBA: an RGBA
// colour is alpha-premultiplied.
func withAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}

// shade darkens c by factor f in (0, 1].
func shade(c color.NRGBA, f float64) color.NRGBA {
	return color.NRGBA{uint8(float64(c.R) * f), uint8(float64(c.G) * f), uint8(float64(c.B) * f), c.A}
}

// bandAlpha holds the opacities of the fan-chart bands: the 90% band and the
// 50% band drawn on top of it (so the 50% band looks darker).
const (
	alpha90 = 0x30
	alpha50 = 0x50
)

var (
	white     = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	black     = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	gridGrey  = color.NRGBA{0xdd, 0xdd, 0xdd, 0xff}
	zeroGrey  = color.NRGBA{0x55, 0x55, 0x55, 0xff}
	panelGrey = color.NRGBA{0x44, 0x44, 0x44, 0xff}
)
