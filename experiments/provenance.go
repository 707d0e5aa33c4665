package experiments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sync"

	"frontiersim/results"
)

// Build identifies the source a binary was built from, as the Go toolchain
// records it (runtime/debug.ReadBuildInfo: vcs.revision, vcs.time,
// vcs.modified). Revision is empty when the binary carries no VCS
// information: under go test, with go build -buildvcs=false, or when built
// outside a checkout.
type Build struct {
	Revision string // commit hash
	Time     string // commit time, RFC 3339
	Dirty    bool   // the working tree had uncommitted changes
}

// String describes the build for messages: "revision 4272096b4 (with
// uncommitted changes)", or "an unknown revision".
func (b Build) String() string {
	if b.Revision == "" {
		return "an unknown revision (built without VCS information)"
	}
	s := "revision " + b.Revision
	if b.Dirty {
		s += " with uncommitted changes"
	}
	return s
}

// Known reports whether the build's revision is known.
func (b Build) Known() bool { return b.Revision != "" }

// currentBuild reads the build of the running binary once.
var currentBuild = sync.OnceValue(readBuild)

// CurrentBuild returns the build of the running binary.
func CurrentBuild() Build { return currentBuild() }

// buildOr returns *b, or the running binary's build when b is nil.
func buildOr(b *Build) Build {
	if b != nil {
		return *b
	}
	return CurrentBuild()
}

func readBuild() Build {
	var b Build
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Dirty = s.Value == "true"
		}
	}
	if b.Revision == "" {
		return Build{}
	}
	return b
}

// ManifestBuild returns the build recorded in a manifest.
func ManifestBuild(m results.Manifest) Build {
	return Build{Revision: m.Revision, Time: m.RevisionTime, Dirty: m.Dirty}
}

// setBuild records b in m.
func setBuild(m *results.Manifest, b Build) {
	m.Revision, m.RevisionTime, m.Dirty = b.Revision, b.Time, b.Dirty
}

// SameCode reports whether results made by build a may be mixed with
// results made by build b (resumed, merged, verified). Results are
// byte-identical only for the same model code, so two known builds must
// have the same revision and the same dirty flag; an unknown revision
// (tests, builds without VCS information) cannot be told apart and is
// accepted. Two dirty builds of one revision cannot be told apart either.
func SameCode(a, b Build) bool {
	if !a.Known() || !b.Known() {
		return true
	}
	return a.Revision == b.Revision && a.Dirty == b.Dirty
}

// DigestFiles are the data files whose size and SHA-256 a complete
// manifest records, in the order it lists them; the Parquet tables
// (results.ParquetFiles) follow them when the experiment writes them, then
// the analysis tables (results.AnalysisFiles) the directory holds:
// sensitivity.csv, which a run of a [sensitivity] design writes, and the
// discovery_*.csv tables, which runsim discover adds (RecordDigests).
var DigestFiles = []string{results.RunsFile, results.TimeseriesFile, results.ComparisonFile, results.StoreFile}

// optionalDigestFiles are the files a complete manifest records if the
// directory holds them, after DigestFiles.
func optionalDigestFiles() []string {
	return append(slices.Clone(results.ParquetFiles), results.AnalysisFiles()...)
}

// digestFiles returns the size and SHA-256 of each of DigestFiles and
// optionalDigestFiles that dir holds, reading each file once, streaming.
func digestFiles(ctx context.Context, dir string) ([]results.FileDigest, error) {
	var out []results.FileDigest
	for _, name := range append(slices.Clone(DigestFiles), optionalDigestFiles()...) {
		d, err := DigestFile(ctx, filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		d.Name = name
		out = append(out, d)
	}
	return out, nil
}

// RecordDigests records in the complete manifest of dir the size and
// SHA-256 of the files names (of optionalDigestFiles) as dir now holds them,
// replacing what it recorded of them (a file dir no longer holds is
// dropped); the other checksums are kept as they are, so that a file
// changed since the run still fails runsim verify. runsim discover calls it
// after writing the discovery tables.
func RecordDigests(ctx context.Context, dir string, names ...string) error {
	man, err := results.ReadManifest(dir)
	if err != nil {
		return fmt.Errorf("recording checksums: %w", err)
	}
	if man.Status != results.StatusComplete {
		return fmt.Errorf("recording checksums in %s: the run is %s, not complete", dir, man.Status)
	}
	order := append(slices.Clone(DigestFiles), optionalDigestFiles()...)
	for _, name := range names {
		if !slices.Contains(order, name) {
			return fmt.Errorf("recording checksums in %s: %q is not a result file the manifest records", dir, name)
		}
	}
	files := slices.DeleteFunc(slices.Clone(man.Files), func(f results.FileDigest) bool { return slices.Contains(names, f.Name) })
	for _, name := range names {
		d, err := DigestFile(ctx, filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		d.Name = name
		files = append(files, d)
	}
	rank := func(name string) int {
		if i := slices.Index(order, name); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(files, func(a, b results.FileDigest) int { return rank(a.Name) - rank(b.Name) })
	man.Files = files
	return results.WriteManifest(dir, man)
}

// DigestFile returns the size and SHA-256 of the file at path (Name left
// empty), reading it once in 1 MiB blocks; it stops early when ctx is done.
func DigestFile(ctx context.Context, path string) (results.FileDigest, error) {
	f, err := os.Open(path)
	if err != nil {
		return results.FileDigest{}, err
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return results.FileDigest{}, fmt.Errorf("checksum of %s: %w", path, err)
		}
		k, err := f.Read(buf)
		h.Write(buf[:k])
		n += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			return results.FileDigest{}, fmt.Errorf("checksum of %s: %w", path, err)
		}
	}
	return results.FileDigest{Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// sameCode reports why results of the manifest old may not be mixed with
// results of cur (see SameCode).
func sameCode(old, cur results.Manifest) error {
	was, is := ManifestBuild(old), ManifestBuild(cur)
	if SameCode(was, is) {
		return nil
	}
	return fmt.Errorf("it was made by %s, this binary is %s: results are byte-identical only for the same code, so use a runsim built from that revision (or start over with -force)",
		was, is)
}
