package engine

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
)

// PanicError is a panic recovered from a job: a bug, not a failed job. It
// carries the panic value and the stack of the goroutine that panicked, so
// that the program can report both instead of crashing.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the panicking goroutine's stack (runtime/debug.Stack)
}

func (p *PanicError) Error() string { return fmt.Sprintf("panic: %v", p.Value) }

// runJob calls run, turning a panic into a *PanicError.
func runJob[R any](ctx context.Context, job int, run func(ctx context.Context, job int) (R, error)) (r R, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return run(ctx, job)
}

// Canceled is returned by Replicate when its context was cancelled before all
// jobs finished. Every job in Done finished and was handed to emit.
type Canceled struct {
	Done  []int // finished jobs, in increasing order
	Cause error // the context's error
}

func (c *Canceled) Error() string {
	return fmt.Sprintf("engine: cancelled after %d finished jobs: %v", len(c.Done), c.Cause)
}

func (c *Canceled) Unwrap() error { return c.Cause }

// Replicate runs jobs 0..n-1 on workers goroutines (workers <= 0 means
// runtime.GOMAXPROCS(0)) and calls emit(i, result) for each, from one
// goroutine, in increasing order of i whatever the worker count.
//
// The first error from run or emit cancels the remaining jobs and is
// returned (wrapped with its job index). A panic in run is recovered on its
// worker and returned the same way, as a *PanicError. If ctx is cancelled, Replicate stops
// starting jobs, waits only for the jobs already running (which see the
// cancelled context and should return promptly), hands every finished result
// to emit — still in increasing order, but then possibly with gaps — and
// returns a *Canceled listing them.
func Replicate[R any](ctx context.Context, n, workers int,
	run func(ctx context.Context, job int) (R, error),
	emit func(job int, r R) error) error {
	if n < 0 {
		return fmt.Errorf("engine: negative job count %d", n)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > n {
		workers = n
	}
	if n == 0 {
		return ctx.Err()
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	type done struct {
		job int
		r   R
		err error
	}
	jobs := make(chan int)
	results := make(chan done, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r, err := runJob(ctx, j, run)
				results <- done{j, r, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for j := 0; j < n; j++ {
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	pending := make(map[int]R)
	next := 0
	var firstErr error
	var emitted []int
	fail := func(err error) {
		if firstErr == nil {
			firstErr = err
			cancel(err)
		}
	}
	for d := range results {
		if firstErr != nil {
			continue
		}
		if d.err != nil {
			if ctx.Err() != nil {
				// The job saw the cancellation; it did not finish.
				continue
			}
			fail(fmt.Errorf("job %d: %w", d.job, d.err))
			continue
		}
		pending[d.job] = d.r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if err := emit(next, r); err != nil {
				fail(fmt.Errorf("job %d: %w", next, err))
				break
			}
			emitted = append(emitted, next)
			next++
		}
	}
	if firstErr != nil {
		return firstErr
	}
	if next == n {
		return nil
	}
	// Cancelled from outside: hand on the finished jobs that are out of order.
	keys := make([]int, 0, len(pending))
	for k := range pending {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := emit(k, pending[k]); err != nil {
			return fmt.Errorf("job %d: %w", k, err)
		}
		emitted = append(emitted, k)
	}
	cause := context.Cause(ctx)
	if cause == nil {
		cause = context.Canceled
	}
	return &Canceled{Done: emitted, Cause: cause}
}
