package design

import "fmt"

// Saltelli returns the design of Saltelli's scheme for first- and
// total-order Sobol indices of d factors (A. Saltelli et al., "Variance
// based sensitivity analysis of model output. Design and estimator for the
// total sensitivity index", Comput. Phys. Commun. 181 (2010) 259–270, §3):
// n base points, (d+2)n model runs. A and B are the first n points of the
// Sobol sequence in 2d dimensions, A its first d coordinates and B its last
// d; AB_i is A with its column i taken from B. The rows are in blocks of n:
//
//	rows [0, n)                 A
//	rows [n, 2n)                B
//	rows [(2+i)n, (3+i)n)       AB_i, i = 0 ... d-1
//
// so that row j of each block belongs to base point j. stats.SobolIndices
// reads the outputs of the runs in the same order. n should be a power of
// two (the Sobol prefix is then a net); d is at most SobolMaxDimension/2.
// Like Sobol the design is deterministic.
func Saltelli(n, d int) ([][]float64, error) {
	if d < 1 || 2*d > SobolMaxDimension {
		return nil, fmt.Errorf("design: Saltelli design of %d factors: between 1 and %d", d, SobolMaxDimension/2)
	}
	if n < 1 {
		return nil, fmt.Errorf("design: Saltelli design of %d base points: at least 1", n)
	}
	base, err := Sobol(n, 2*d)
	if err != nil {
		return nil, fmt.Errorf("design: Saltelli design: %w", err)
	}
	flat := make([]float64, (d+2)*n*d)
	pts := make([][]float64, (d+2)*n)
	for r := range pts {
		pts[r] = flat[r*d : (r+1)*d : (r+1)*d]
	}
	for j, p := range base {
		a, b := p[:d], p[d:]
		copy(pts[j], a)
		copy(pts[n+j], b)
		for i := range d {
			ab := pts[(2+i)*n+j]
			copy(ab, a)
			ab[i] = b[i]
		}
	}
	return pts, nil
}
