package results

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Lock files of a result directory.
const (
	// LockFile is locked with flock(2) by every runsim that writes into the
	// directory. It is never removed: removing a lock file that another
	// process may have opened but not yet locked would let two processes
	// lock two different files of the same name.
	LockFile = ".lock"
	// OwnerFile is the lock file used where flock is not available (or, with
	// LockWithFile, as well as flock): created with O_EXCL, it names its
	// holder, and is removed when the lock is released.
	OwnerFile = ".lock.owner"
)

// IsLockFile reports whether name is one of the lock files of a result
// directory (LockFile, OwnerFile, or an OwnerFile moved aside while a stale
// lock is removed).
func IsLockFile(name string) bool {
	return name == LockFile || name == OwnerFile || strings.HasPrefix(name, OwnerFile+".stale-")
}

// ErrLocked is wrapped by the error LockDir returns when another runsim
// holds the directory.
var ErrLocked = errors.New("the directory is in use by another runsim")

// LockMode says how LockDir locks a directory.
type LockMode int

const (
	// LockAuto takes flock(2) on DIR/.lock; where the file system does not
	// support flock, it takes the lock file DIR/.lock.owner instead.
	LockAuto LockMode = iota
	// LockWithFile takes the lock file DIR/.lock.owner as well as flock:
	// for file systems whose flock is local to one machine (Lustre mounted
	// with localflock, NFS mounted with nolock or local_lock=flock), where
	// flock does not keep out a runsim on another node.
	LockWithFile
)

// Lock is a held lock on a result directory.
type Lock struct {
	dir   string
	f     *os.File // DIR/.lock, flocked; nil where flock is unsupported
	owner []byte   // what we wrote into DIR/.lock.owner, if we created it
	// Note, when not empty, is something the caller should tell the user:
	// that a stale lock file was removed. LockDir does not print.
	Note string
}

// flockNB takes an exclusive flock on fd without waiting.
func flockNB(fd int) error { return syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB) }

// flockUnsupported reports whether err from flock means the file system
// does not support it (as opposed to: someone else holds the lock).
func flockUnsupported(err error) bool {
	for _, e := range []syscall.Errno{syscall.ENOTSUP, syscall.EOPNOTSUPP, syscall.ENOLCK, syscall.EINVAL, syscall.ENOSYS} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// lockedError reads as its message and matches ErrLocked.
type lockedError struct{ msg string }

func (e *lockedError) Error() string { return e.msg }
func (e *lockedError) Unwrap() error { return ErrLocked }

// holder is who holds a lock, as written into the lock files.
type holder struct {
	PID   int
	Host  string
	Since string
}

func (h holder) String() string {
	if h.PID == 0 {
		return "holder unknown"
	}
	return fmt.Sprintf("pid %d on host %s since %s", h.PID, h.Host, h.Since)
}

func (h holder) encode() []byte {
	return fmt.Appendf(nil, "runsim lock\npid %d\nhost %s\nsince %s\n", h.PID, h.Host, h.Since)
}

// parseHolder reads what encode wrote; PID 0 if it cannot.
func parseHolder(b []byte) holder {
	var h holder
	lines := strings.Split(string(b), "\n")
	if len(lines) == 0 || lines[0] != "runsim lock" {
		return holder{}
	}
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(l, " ")
		switch k {
		case "pid":
			h.PID, _ = strconv.Atoi(v)
		case "host":
			h.Host = v
		case "since":
			h.Since = v
		}
	}
	if h.PID <= 0 || h.Host == "" {
		return holder{}
	}
	return h
}

// LockDir takes the exclusive lock of the existing directory dir for a
// runsim that writes into it, and returns at once with an error wrapping
// ErrLocked if another runsim holds it.
//
// It locks DIR/.lock with flock(2), which the kernel releases when the
// process ends however it ends, and writes the holder (pid, host, start
// time) into it for the message of a refused runsim. Where flock is not
// supported (ENOTSUP, EOPNOTSUPP, ENOLCK, EINVAL or ENOSYS), and always with
// LockWithFile, it also creates DIR/.lock.owner with O_EXCL, holding the
// same. An existing DIR/.lock.owner is stale, and removed (said in
// Lock.Note), when it names this host and a process that no longer exists;
// naming another host, it is never removed: the error says to check that
// host and remove the file by hand. DIR/.lock.owner is checked in every
// mode, so a runsim using flock also respects a lock file.
func LockDir(dir string, mode LockMode) (*Lock, error) { return lockDir(dir, mode, flockNB) }

// lockDir is LockDir with the flock call given (tests pass one that fails
// as on a file system without flock).
func lockDir(dir string, mode LockMode, flock func(fd int) error) (*Lock, error) {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	me := holder{PID: os.Getpid(), Host: host, Since: time.Now().UTC().Format(time.RFC3339)}
	l := &Lock{dir: dir}
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	useFile := mode == LockWithFile
	switch err := flock(int(f.Fd())); {
	case err == nil:
		l.f = f
		if err := f.Truncate(0); err == nil {
			f.WriteAt(me.encode(), 0) // for the message of a refused runsim only
		}
	case errors.Is(err, syscall.EWOULDBLOCK):
		b, _ := os.ReadFile(path)
		f.Close()
		return nil, &lockedError{fmt.Sprintf("%s is in use by another runsim (%s); wait until it has finished, or use another directory",
			dir, parseHolder(b))}
	case flockUnsupported(err):
		f.Close()
		useFile = true
	default:
		f.Close()
		return nil, fmt.Errorf("lock %s: flock %s: %w", dir, path, err)
	}
	note, err := l.ownerFile(me, useFile)
	if err != nil {
		l.Unlock()
		return nil, err
	}
	l.Note = note
	return l, nil
}

// ownerFile checks DIR/.lock.owner, removes it if stale, and creates it if
// create is set. It returns a note for the user.
func (l *Lock) ownerFile(me holder, create bool) (string, error) {
	path := filepath.Join(l.dir, OwnerFile)
	var note string
	for try := 0; try < 3; try++ {
		b, err := os.ReadFile(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			if !create {
				return note, nil
			}
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
			if errors.Is(err, os.ErrExist) {
				continue // created since we looked: look again
			}
			if err != nil {
				return note, fmt.Errorf("lock %s: %w", l.dir, err)
			}
			token := me.encode()
			_, err = f.Write(token)
			if err == nil {
				err = f.Sync()
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(path)
				return note, fmt.Errorf("lock %s: write %s: %w", l.dir, path, err)
			}
			l.owner = token
			return note, nil
		case err != nil:
			return note, fmt.Errorf("lock %s: %w", l.dir, err)
		}
		h := parseHolder(b)
		switch {
		case h.PID == 0:
			return note, &lockedError{fmt.Sprintf("%s is locked by the lock file %s, which does not say who holds it; if no runsim is using %s, remove %s by hand",
				l.dir, path, l.dir, path)}
		case h.Host != me.Host:
			return note, &lockedError{fmt.Sprintf("%s is in use by another runsim (%s; lock file %s); if no runsim is running on %s any more (check there), remove %s by hand",
				l.dir, h, path, h.Host, path)}
		case processAlive(h.PID):
			return note, &lockedError{fmt.Sprintf("%s is in use by another runsim (%s; lock file %s); wait until it has finished, or use another directory",
				l.dir, h, path)}
		}
		// Stale: this host, and the process is gone. Move it aside first and
		// check that what was moved is still the stale file, so that two
		// runsims removing the same stale lock do not remove each other's.
		aside := fmt.Sprintf("%s.stale-%d", path, me.PID)
		if err := os.Rename(path, aside); err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return note, fmt.Errorf("lock %s: remove stale lock file: %w", l.dir, err)
		}
		moved, err := os.ReadFile(aside)
		if err != nil || !bytes.Equal(moved, b) {
			// Another runsim had replaced it with its own lock: put it back.
			if lerr := os.Link(aside, path); lerr != nil && !errors.Is(lerr, os.ErrExist) {
				os.Remove(aside)
				return note, fmt.Errorf("lock %s: restore %s: %w", l.dir, path, lerr)
			}
			os.Remove(aside)
			continue
		}
		os.Remove(aside)
		note = fmt.Sprintf("removed the stale lock file %s of %s: that process no longer exists", path, h)
	}
	return note, &lockedError{fmt.Sprintf("%s: could not take the lock file %s (other runsims are taking it at the same time); try again", l.dir, path)}
}

// processAlive reports whether a process with this pid exists on this host.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// Unlock releases the lock: it removes DIR/.lock.owner if this lock created
// it (and it is unchanged) and releases the flock of DIR/.lock, which
// stays. Unlock of a nil Lock does nothing.
func (l *Lock) Unlock() error {
	if l == nil {
		return nil
	}
	var err error
	if l.owner != nil {
		path := filepath.Join(l.dir, OwnerFile)
		if b, rerr := os.ReadFile(path); rerr == nil && bytes.Equal(b, l.owner) {
			if rerr := os.Remove(path); rerr != nil {
				err = fmt.Errorf("unlock %s: %w", l.dir, rerr)
			}
		}
		l.owner = nil
	}
	if l.f != nil {
		l.f.Truncate(0)
		if cerr := l.f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("unlock %s: %w", l.dir, cerr)
		}
		l.f = nil
	}
	return err
}
