package dashboard

import (
	"errors"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"frontiersim/results"
)

// errOutside is why a file request is refused: its path leaves the given
// directory, is absolute, or names a file that is not a result file.
var errOutside = errors.New("not a result file inside the given directories")

// fileURL is the dashboard's link to the file name of the run at rel in
// given directory root.
func fileURL(root int, rel, name string) string {
	p := path.Join(rel, name)
	return "/files/" + strconv.Itoa(root) + "/" + (&url.URL{Path: p}).EscapedPath()
}

// servedFile reports whether rel (a slash-separated path below a given
// directory) may be served: it must be clean and relative, without ".."
// or a backslash, and name one of the result files a reader opens (the
// report, the tables, the manifest, the experiment and world as run, a
// chart) in some directory below; never the replication store, a lock
// file or anything else.
func servedFile(rel string) error {
	switch {
	case rel == "", strings.HasPrefix(rel, "/"), strings.Contains(rel, "\\"), strings.ContainsRune(rel, 0),
		filepath.IsAbs(rel), path.Clean(rel) != rel:
		return errOutside
	}
	for _, seg := range strings.Split(rel, "/") {
		if seg == ".." || seg == "." || strings.HasPrefix(seg, ".") {
			return errOutside
		}
	}
	dir, name := path.Split(rel)
	if path.Base(strings.TrimSuffix(dir, "/")) == results.ChartsDir && results.IsChartFile(name) {
		return nil
	}
	if results.IsResultFile(name) && name != results.StoreFile {
		return nil
	}
	return errOutside
}

// serveFile serves GET /files/{root}/{path...}: a result file below a
// given directory, read through an os.Root of that directory, so that
// neither ".." nor a symbolic link leads out of it.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	ri, err := strconv.Atoi(r.PathValue("root"))
	if err != nil || ri < 0 || ri >= len(s.roots) || r.PathValue("root") != strconv.Itoa(ri) {
		http.Error(w, "no such directory", http.StatusNotFound)
		return
	}
	rel := r.PathValue("path")
	if err := servedFile(rel); err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	f, err := s.roots[ri].Open(filepath.FromSlash(rel))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			http.Error(w, "no such file", http.StatusNotFound)
		} else {
			http.Error(w, errOutside.Error(), http.StatusForbidden)
		}
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		http.Error(w, "not a file", http.StatusNotFound)
		return
	}
	// The report and the charts have no script; they get no network
	// either.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox")
	http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
}

// lstatRegular reports whether dir/name is a regular file.
func lstatRegular(dir, name string) (bool, error) {
	fi, err := os.Lstat(filepath.Join(dir, name))
	if err != nil {
		return false, err
	}
	return fi.Mode().IsRegular(), nil
}
