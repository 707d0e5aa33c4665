package dashboard

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"frontiersim/results"
)

// maxDepth is how deep below a given directory result directories are
// looked for: DIR itself, DIR/NAME (a run per experiment) and
// DIR/NAME/shard-K-of-N (the shards of an array, as runsim run -shard
// lays them out under out/).
const maxDepth = 2

// maxScan bounds the directory entries looked at per scan of one given
// directory, so that a dashboard started on a large tree stays cheap.
const maxScan = 20000

// rateWindow is the span of progress samples the rate (and so the ETA) of
// a run is measured over.
const rateWindow = 5 * time.Minute

// A run is one result directory as last read: its manifest and the
// records of its store.
type run struct {
	root int    // index of the given directory it was found in
	rel  string // its path below that directory, slash-separated ("." for the directory itself)
	dir  string // its path on disk

	manStamp []byte           // what the manifest's file held when last read
	man      results.Manifest // the last manifest that decoded
	hasMan   bool
	manErr   string // why the manifest on disk does not decode, if it does not

	store    *results.StoreFollower
	jobs     map[int][]float64 // job -> months × metrics, of the records read
	storeErr string

	samples []sample  // replications done over time, for the rate
	changed time.Time // when the manifest or the store last changed
}

type sample struct {
	t    time.Time
	done int
}

// watcher follows the result directories found under the given
// directories. Its fields are guarded by mu; poll writes them, the views
// read them.
type watcher struct {
	roots []string // absolute, symbolic links resolved
	names []string // as given, for the page
	now   func() time.Time

	mu       sync.RWMutex
	runs     map[string]*run // by key (root index and rel)
	version  uint64          // bumped whenever what a view shows may have changed
	changed  chan struct{}   // closed, and replaced, at each bump
	lastBump time.Time
}

func newWatcher(roots, names []string, now func() time.Time) *watcher {
	return &watcher{roots: roots, names: names, now: now, runs: map[string]*run{}, changed: make(chan struct{})}
}

// current returns the version and a channel closed when it is bumped.
func (w *watcher) current() (uint64, <-chan struct{}) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.version, w.changed
}

// refreshEvery is how often the version is bumped while a run is in
// progress even when no file changed, so that rates, ETAs and ages shown
// stay current.
const refreshEvery = 10 * time.Second

// poll reads what changed on disk: new result directories, manifests and
// store records. It only reads: no file is locked, created or written.
func (w *watcher) poll() {
	found := w.scan()
	now := w.now()
	w.mu.Lock()
	defer w.mu.Unlock()
	changed := false
	keep := map[string]bool{}
	for _, ref := range found {
		keep[runKey(ref.root, ref.rel)] = true
	}
	for key := range w.runs {
		if !keep[key] {
			delete(w.runs, key) // a directory removed
			changed = true
		}
	}
	active := false
	for _, ref := range found {
		key := runKey(ref.root, ref.rel)
		r, ok := w.runs[key]
		if !ok {
			dir := filepath.Join(w.roots[ref.root], filepath.FromSlash(ref.rel))
			r = &run{root: ref.root, rel: ref.rel, dir: dir, store: results.FollowStore(filepath.Join(dir, results.StoreFile)),
				jobs: map[int][]float64{}, changed: now}
			w.runs[key] = r
			changed = true
		}
		if r.refresh(now) {
			changed = true
		}
		if r.hasMan && r.man.Status != results.StatusComplete && r.man.EndTime == "" {
			active = true
		}
	}
	if changed || active && now.Sub(w.lastBump) >= refreshEvery {
		w.version++
		w.lastBump = now
		close(w.changed)
		w.changed = make(chan struct{})
	}
}

func runKey(root int, rel string) string { return fmt.Sprintf("%d\x00%s", root, rel) }

// runRef names a result directory: the index of the given directory it
// is in, and its path below it.
type runRef struct {
	root int
	rel  string
}

// scan returns the result directories (those holding a
// manifest) at most maxDepth below each given directory. Symbolic links
// below a given directory are not followed, and hidden directories and
// charts/ are not entered.
//
// A directory found twice (given twice, or under two given directories
// one inside the other) is listed once, where it is found first.
func (w *watcher) scan() []runRef {
	var refs []runRef
	seen := map[string]bool{}
	for i, root := range w.roots {
		budget := maxScan
		var walk func(dir, rel string, depth int)
		walk = func(dir, rel string, depth int) {
			if fi, err := os.Lstat(filepath.Join(dir, results.ManifestFile)); err == nil && fi.Mode().IsRegular() && !seen[dir] {
				seen[dir] = true
				refs = append(refs, runRef{i, rel})
			}
			if depth == maxDepth {
				return
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				return
			}
			for _, e := range entries {
				if budget--; budget < 0 {
					return
				}
				name := e.Name()
				if !e.IsDir() || strings.HasPrefix(name, ".") || name == results.ChartsDir {
					continue // e.IsDir is false for a symbolic link
				}
				walk(filepath.Join(dir, name), path.Join(rel, name), depth+1)
			}
		}
		walk(root, ".", 0)
	}
	return refs
}

// refresh reads the run's manifest if it changed and the records added to
// its store, and reports whether anything changed.
func (r *run) refresh(now time.Time) bool {
	changed := false
	b, err := os.ReadFile(filepath.Join(r.dir, results.ManifestFile))
	switch {
	case err != nil:
		if msg := err.Error(); msg != r.manErr {
			r.manErr, changed = msg, true
		}
	case !bytes.Equal(b, r.manStamp):
		r.manStamp = b
		var m results.Manifest
		if err := results.DecodeManifest(b, &m); err != nil {
			r.manErr = fmt.Sprintf("%s: %v", results.ManifestFile, err)
		} else {
			r.man, r.hasMan, r.manErr = m, true, ""
		}
		changed = true
	}
	if r.hasMan {
		if r.pollStore() {
			changed = true
		}
	}
	done := r.done()
	if n := len(r.samples); n == 0 || r.samples[n-1].done != done {
		r.samples = append(r.samples, sample{now, done})
	}
	// Keep the samples of the rate window and the one before it.
	for len(r.samples) > 2 && now.Sub(r.samples[1].t) > rateWindow {
		r.samples = r.samples[1:]
	}
	if changed {
		r.changed = now
	}
	return changed
}

// pollStore reads the store's new records, and reports whether any came
// (or the store was replaced).
func (r *run) pollStore() bool {
	p := r.man.Plan
	got := 0
	restarted, err := r.store.Poll(func(job int, values []float64) {
		if job >= 0 && job < p.Jobs() {
			if _, dup := r.jobs[job]; !dup {
				r.jobs[job] = values
				got++
			}
		}
	})
	if restarted {
		clear(r.jobs)
		r.samples = nil
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	} else if h, ok := r.store.Header(); ok && (h.Months != p.Months || h.Metrics != len(p.Metrics)) {
		// A store of another plan (the manifest of a start-over read before
		// its store): forget it until they agree.
		msg = fmt.Sprintf("%s holds %d months × %d metrics per replication, the manifest's plan %d × %d",
			results.StoreFile, h.Months, h.Metrics, p.Months, len(p.Metrics))
		clear(r.jobs)
		*r.store = *results.FollowStore(filepath.Join(r.dir, results.StoreFile))
	}
	changed := got > 0 || restarted || msg != r.storeErr
	r.storeErr = msg
	return changed
}

// done is the number of the run's replications that can be read: the
// store's records, or the manifest's count once it says complete.
func (r *run) done() int {
	if r.hasMan && r.man.Status == results.StatusComplete {
		return r.man.JobsTotal
	}
	return min(len(r.jobs), max(r.man.JobsTotal, 0))
}

// rate is the replications per second over the rate window up to now; 0
// when it cannot be measured yet.
func (r *run) rate(now time.Time) float64 {
	if len(r.samples) < 2 {
		return 0
	}
	first, last := r.samples[0], r.samples[len(r.samples)-1]
	el := now.Sub(first.t).Seconds()
	if el <= 0 || last.done <= first.done {
		return 0
	}
	return float64(last.done-first.done) / el
}
