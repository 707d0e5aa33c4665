package experiments

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// ErrNotRegular is returned by FileReader's ReadFunc for a path that is not
// a regular file.
var ErrNotRegular = errors.New("not a regular file")

// FileReader returns a ReadFunc for files on disk that can neither block nor
// exhaust memory: it accepts regular files only (a named pipe, which would
// block until a writer appears, a device such as /dev/zero, which never
// ends, a directory or a socket is refused before it is read), reads at
// most MaxFileBytes+1 bytes, and returns ctx's error once ctx is done.
func FileReader(ctx context.Context) ReadFunc {
	return func(name string) ([]byte, error) { return readRegular(ctx, name) }
}

func readRegular(ctx context.Context, name string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(fi.Mode())
	}
	// O_NONBLOCK: should the path become a named pipe after the Stat, the
	// open does not wait for a writer (the Stat of the open file then
	// refuses it). It has no effect on a regular file.
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, notRegular(fi.Mode())
	}
	if fi.Size() > MaxFileBytes {
		return nil, tooLarge(fi.Size())
	}
	b := make([]byte, 0, fi.Size()+1)
	r := io.LimitReader(f, MaxFileBytes+1)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):min(cap(b), len(b)+64<<10)])
		b = b[:len(b)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(b) > MaxFileBytes {
		return nil, tooLarge(int64(len(b)))
	}
	return b, nil
}

func notRegular(m fs.FileMode) error {
	return fmt.Errorf("%s, %w: an experiment must be a regular file (give the path of a .toml file)", fileKind(m), ErrNotRegular)
}

// fileKind names the kind of file of mode m, with its article.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

func tooLarge(n int64) error {
	return fmt.Errorf("%d bytes or more: an experiment file may have at most %d (1 MiB)", n, MaxFileBytes)
}
