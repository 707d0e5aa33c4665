package golden_test

import (
	"fmt"

	"frontiersim/internal/golden"
)

func ExampleDiff() {
	want := "runsim validate: 2 problem(s):\n  a.toml:3: seed: want an integer\n  a.toml:4: months: out of range\n"
	got := "runsim validate: 2 problem(s):\n  a.toml:3: seed: want a whole number\n  a.toml:4: months: out of range\n"
	fmt.Print(golden.Diff(want, got))
	// Output:
	// @@ want line 1, got line 1 @@
	//   runsim validate: 2 problem(s):
	// -   a.toml:3: seed: want an integer
	// +   a.toml:3: seed: want a whole number
	//     a.toml:4: months: out of range
}
