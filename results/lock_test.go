package results

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestLockExcludes: a second lock of a directory is refused at once (flock
// locks belong to the open file, so this holds within one process too),
// naming the holder; after Unlock the directory can be locked again, and
// DIR/.lock stays.
func TestLockExcludes(t *testing.T) {
	dir := t.TempDir()
	l, err := LockDir(dir, LockAuto)
	if err != nil {
		t.Fatal(err)
	}
	want := dir + " is in use by another runsim (pid " + strconv.Itoa(os.Getpid()) + " on host "
	for _, mode := range []LockMode{LockAuto, LockWithFile} {
		if _, err := LockDir(dir, mode); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), want) {
			t.Errorf("mode %d: second lock: got %v, want ErrLocked saying %q", mode, err, want)
		}
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, LockFile)); err != nil {
		t.Errorf("%s was removed: %v", LockFile, err)
	}
	l2, err := LockDir(dir, LockAuto)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	l2.Unlock()
}

// lockNoFlock is LockDir on a file system without flock.
func lockNoFlock(dir string, mode LockMode) (*Lock, error) {
	return lockDir(dir, mode, func(int) error { return syscall.ENOTSUP })
}

// deadPID returns the pid of a process that has exited.
func deadPID(t *testing.T) int {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run true: %v", err)
	}
	return cmd.Process.Pid
}

func writeOwner(t *testing.T, dir string, h holder) string {
	path := filepath.Join(dir, OwnerFile)
	if err := os.WriteFile(path, h.encode(), 0o666); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLockFallback: where flock is unsupported, the lock file DIR/.lock.owner
// (created with O_EXCL, naming host, pid and start time) keeps a second
// runsim out and is removed on Unlock. The stale rule: a lock file of this
// host whose process is gone is removed, with a note; one of another host,
// or one that names no holder, is never removed, and the error says how to
// remove it by hand.
func TestLockFallback(t *testing.T) {
	host, _ := os.Hostname()
	dir := t.TempDir()
	l, err := lockNoFlock(dir, LockAuto)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, OwnerFile))
	if h := parseHolder(b); err != nil || h.PID != os.Getpid() || h.Host != host || h.Since == "" {
		t.Fatalf("lock file %q (%v), want pid %d on host %s", b, err, os.Getpid(), host)
	}
	if _, err := lockNoFlock(dir, LockAuto); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("second lock: got %v, want ErrLocked naming this process", err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, OwnerFile)); !os.IsNotExist(err) {
		t.Errorf("%s left after Unlock: %v", OwnerFile, err)
	}

	// Stale: this host, process gone.
	dead := holder{PID: deadPID(t), Host: host, Since: "2026-01-01T00:00:00Z"}
	writeOwner(t, dir, dead)
	l, err = lockNoFlock(dir, LockAuto)
	if err != nil {
		t.Fatalf("stale lock file: %v", err)
	}
	if !strings.Contains(l.Note, "removed the stale lock file") || !strings.Contains(l.Note, "pid "+strconv.Itoa(dead.PID)) {
		t.Errorf("note %q does not say the stale lock file was removed", l.Note)
	}
	l.Unlock()

	// Another host, or no holder: refused, kept, and the message says what to do.
	for _, c := range []struct {
		text string
		want string
	}{
		{string(holder{PID: dead.PID, Host: host + "-elsewhere", Since: "2026-01-01T00:00:00Z"}.encode()), "if no runsim is running on " + host + "-elsewhere any more (check there), remove"},
		{"", "does not say who holds it"},
		{"garbage\n", "does not say who holds it"},
	} {
		path := filepath.Join(dir, OwnerFile)
		os.WriteFile(path, []byte(c.text), 0o666)
		if _, err := lockNoFlock(dir, LockAuto); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path+" by hand") {
			t.Errorf("lock file %q: got %v, want ErrLocked saying %q and to remove %s by hand", c.text, err, c.want, path)
		}
		if b, _ := os.ReadFile(path); string(b) != c.text {
			t.Errorf("lock file %q was changed to %q", c.text, b)
		}
	}
}

// TestLockFileRespectedWithFlock: a lock file left by a runsim on another
// node (LockWithFile, flock local to each node) keeps out a runsim that has
// flock, and LockWithFile writes the lock file even where flock works.
func TestLockFileRespectedWithFlock(t *testing.T) {
	dir := t.TempDir()
	l, err := LockDir(dir, LockWithFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, OwnerFile)); err != nil {
		t.Fatalf("LockWithFile wrote no lock file: %v", err)
	}
	l.Unlock()
	writeOwner(t, dir, holder{PID: 1, Host: "node-17", Since: "2026-01-01T00:00:00Z"})
	if _, err := LockDir(dir, LockAuto); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "pid 1 on host node-17") {
		t.Errorf("got %v, want ErrLocked naming pid 1 on host node-17", err)
	}
}

func TestFlockUnsupported(t *testing.T) {
	for _, e := range []syscall.Errno{syscall.ENOTSUP, syscall.ENOLCK, syscall.EINVAL, syscall.ENOSYS} {
		if !flockUnsupported(e) {
			t.Errorf("%v is not taken for flock unsupported", e)
		}
	}
	if flockUnsupported(syscall.EWOULDBLOCK) || flockUnsupported(syscall.EBADF) {
		t.Errorf("EWOULDBLOCK or EBADF taken for flock unsupported")
	}
}
