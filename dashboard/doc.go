// Package dashboard is runsim serve's live view of result directories
// while their runs write them: a single run, or the shards of an array
// (out/NAME/shard-K-of-N). It serves, with the standard library's
// net/http, one page that draws with uPlot (vendored from npm, MIT, in
// assets/, and inlined into the page: it loads nothing from elsewhere) and
// follows server-sent events:
//
//   - progress per result directory: replications done of the shard's
//     total, rate over the last minutes, ETA, state (running, stopped,
//     complete), and per experiment the whole plan's (the slowest shard's
//     ETA once every shard has been seen);
//   - a fan chart of the chosen metric: each arm's median with its 50% (and
//     90%) band over months, from the replications finished so far;
//   - the paired effect of each policy arm over a comparison window (mean
//     paired difference from the baseline with its 95% paired-t interval)
//     over the replications both have finished, and how the interval has
//     narrowed with the number of pairs. Whatever the order in which a run
//     executes its replications (plan order, arm by arm, or replication by
//     replication), the view pairs what is there: in plan order an arm's
//     effect appears once the arm starts.
//
// Reading is safe while a run writes: the manifest is written atomically
// (rename), and the replication store is followed with
// results.StoreFollower, which hands on whole, checksummed records only.
// Nothing is locked, created or written: every endpoint answers GET and
// HEAD alone, and the result files served (the report, the tables, the
// charts) are opened through an os.Root of the given directory, after a
// check of the path (no "..", no absolute path, only result files' names).
// A request whose Host is not a loopback name is refused, against DNS
// rebinding; the caller binds the listener (runsim serve: 127.0.0.1 only).
//
// The view keeps every finished replication of the directories it
// follows in memory (months × metrics × 8 bytes each).
//
// dashboard imports results and stats of ours, and the standard library.
package dashboard
