package plots

import (
	"image"
	"image/color"
	"sort"
)

// quantize returns img as a paletted image of at most 256 colours: the
// most frequent colours of the chart (flat fills, lines and text on white
// make up nearly all of its pixels), every other pixel mapped to the
// nearest of them. A chart's PNG shrinks to a third or less, at the cost of
// slightly coarser anti-aliasing. It is deterministic: ties between colours
// are broken by their value.
func quantize(img *image.RGBA) *image.Paletted {
	b := img.Bounds()
	counts := map[uint32]int{}
	pix := img.Pix
	for i := 0; i+3 < len(pix); i += 4 {
		counts[uint32(pix[i])<<24|uint32(pix[i+1])<<16|uint32(pix[i+2])<<8|uint32(pix[i+3])]++
	}
	keys := make([]uint32, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > 256 {
		keys = keys[:256]
	}
	pal := make(color.Palette, len(keys))
	for i, k := range keys {
		pal[i] = color.RGBA{uint8(k >> 24), uint8(k >> 16), uint8(k >> 8), uint8(k)}
	}
	out := image.NewPaletted(b, pal)
	index := make(map[uint32]uint8, len(counts))
	for i, k := range keys {
		index[k] = uint8(i)
	}
	for i, j := 0, 0; i+3 < len(pix); i, j = i+4, j+1 {
		k := uint32(pix[i])<<24 | uint32(pix[i+1])<<16 | uint32(pix[i+2])<<8 | uint32(pix[i+3])
		idx, ok := index[k]
		if !ok {
			idx = nearest(pal, pix[i], pix[i+1], pix[i+2], pix[i+3])
			index[k] = idx
		}
		out.Pix[j] = idx
	}
	return out
}

// nearest returns the index of the palette colour closest to (r, g, b, a)
// in squared RGBA distance (the first of equals).
func nearest(pal color.Palette, r, g, b, a uint8) uint8 {
	best, bestD := 0, int(^uint(0)>>1)
	for i, c := range pal {
		p := c.(color.RGBA)
		dr, dg, db, da := int(p.R)-int(r), int(p.G)-int(g), int(p.B)-int(b), int(p.A)-int(a)
		if d := dr*dr + dg*dg + db*db + da*da; d < bestD {
			best, bestD = i, d
		}
	}
	return uint8(best)
}
