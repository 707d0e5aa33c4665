// Package engine is frontiersim's domain-free discrete-time kernel: a Model
// stepped month by month, named random streams, a preallocated recorder of
// per-month metrics and a replication runner.
//
// engine imports only the standard library (math/rand/v2 for randomness). It
// does no I/O and no logging.
//
// # Time
//
// Time is discrete. Run calls Model.Step for t = 0, 1, ..., months-1, checking
// the context before every step. A model runs its own phases in a fixed,
// documented order inside Step; Phases helps a model keep that order explicit.
//
// # Randomness
//
// Streams derives one independent ChaCha8 generator per (seed, replication,
// stream name). The 32-byte ChaCha8 key is
//
//	SHA-256("frontiersim/engine/stream/v1" || 0x00 || LE64(seed) || LE64(replication) || name)
//
// so the draws of a stream depend only on those three values: adding a
// stream, or drawing more from one, never changes another stream's draws.
// Replication r of every policy arm starts from the same keys (common random
// numbers).
//
// # Replications
//
// Replicate runs n independent jobs on w workers and hands their results on
// in job order whatever w is; the first error cancels the rest, and a
// cancelled run returns promptly after handing on every job that finished.
// A job that panics is recovered on its worker and returned as a
// *PanicError (the value and the stack), so that a bug in a model does not
// take the program down without saying where.
package engine
