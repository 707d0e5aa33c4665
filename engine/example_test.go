package engine_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"frontiersim/engine"
)

// coin is a toy model: each month a fair coin adds or removes one unit.
type coin struct {
	r   *rand.Rand
	x   float64
	rec *engine.Recorder
}

func (c *coin) Step(_ context.Context, t int) error {
	if c.r.IntN(2) == 0 {
		c.x++
	} else {
		c.x--
	}
	c.rec.Set(t, 0, c.x)
	return nil
}

func Example() {
	const months = 12
	final := make([]float64, 4)
	err := engine.Replicate(context.Background(), len(final), 2,
		func(ctx context.Context, rep int) (float64, error) {
			rec, _ := engine.NewRecorder([]string{"position"}, months)
			m := &coin{r: engine.NewStreams(2019, uint64(rep)).Stream("coin"), rec: rec}
			if err := engine.Run(ctx, m, months); err != nil {
				return 0, err
			}
			return rec.Get(months-1, 0), nil
		},
		func(rep int, x float64) error { final[rep] = x; return nil })
	fmt.Println(err, len(final))
	// Output: <nil> 4
}
