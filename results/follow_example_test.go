package results_test

import (
	"fmt"
	"os"
	"path/filepath"

	"frontiersim/results"
)

// A follower reads the records a writer has flushed so far, and on the
// next Poll only those added since.
func ExampleStoreFollower() {
	dir, _ := os.MkdirTemp("", "follow-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, results.StoreFile)
	w, err := results.CreateStore(path, results.StoreHeader{Months: 2, Metrics: 1})
	if err != nil {
		panic(err)
	}
	f := results.FollowStore(path)
	show := func() {
		f.Poll(func(job int, values []float64) { fmt.Println("job", job, values) })
	}
	w.Append(3, []float64{1, 2})
	w.Append(0, []float64{5, 6})
	w.Flush()
	show()
	w.Append(1, []float64{7, 8})
	w.Close()
	show()
	// Output:
	// job 3 [1 2]
	// job 0 [5 6]
	// job 1 [7 8]
}
