// Package slurmtest holds the integration tests of the deployment files in
// deploy/: the Slurm job array, merge job and submit script (deploy/slurm),
// run on a real one-node Slurm cluster that deploy/slurm/slurm-local.sh
// installs, starts and stops; and the Kubernetes Indexed Job (deploy/k8s),
// whose manifests are checked and whose pods are emulated by running runsim
// once per completion index.
//
// Each test builds cmd/runsim, runs a small experiment sharded and merged,
// and compares every result file byte for byte with a single local run
// (manifest.json up to its start_time, end_time and go_version).
//
// The Slurm test needs root and FRONTIERSIM_SLURM=1; it skips otherwise,
// except that it fails when CI=true and FRONTIERSIM_SLURM=1 but it cannot
// run. Run it with
//
//	make test-slurm   # FRONTIERSIM_SLURM=1 go test -count=1 -run Slurm ./deploy/slurmtest/
//
// The package has no non-test code.
package slurmtest
