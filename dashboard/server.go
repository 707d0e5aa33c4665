package dashboard

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Options configure a Server.
type Options struct {
	// Dirs are the directories to follow: each a result directory, or a
	// directory holding result directories (out/, out/NAME with the
	// shard-K-of-N of an array) at most two levels down.
	Dirs []string
	// Poll is how often the files are looked at; 0 means a second (the
	// interval at which a run syncs its store and manifest).
	Poll time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// ErrNoDir is wrapped by New's error for a directory that does not exist
// or is not a directory.
var ErrNoDir = errors.New("cannot follow")

// errNotDir is wrapped by the error for a given path that is not a directory.
var errNotDir = errors.New("not a directory")

// Server is the dashboard: the page, its update events and the result
// files of the directories it follows. Its handler only reads: every
// endpoint answers GET (and HEAD) alone.
type Server struct {
	w     *watcher
	roots []*os.Root
	poll  time.Duration
	page  []byte

	stop     chan struct{} // closed when Serve stops: the event streams end
	stopOnce sync.Once
}

// New returns a server following opts.Dirs. It reads nothing yet but
// checks that each is a directory.
func New(opts Options) (*Server, error) {
	if len(opts.Dirs) == 0 {
		return nil, fmt.Errorf("%w: no directory given", ErrNoDir)
	}
	s := &Server{poll: opts.Poll, stop: make(chan struct{})}
	if s.poll <= 0 {
		s.poll = time.Second
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	var abs []string
	for _, d := range opts.Dirs {
		a, err := filepath.Abs(d)
		if err == nil {
			a, err = filepath.EvalSymlinks(a)
		}
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("%w %s: %v", ErrNoDir, d, err)
		}
		fi, err := os.Stat(a)
		if err != nil || !fi.IsDir() {
			s.Close()
			return nil, fmt.Errorf("%w %s: %w", ErrNoDir, d, errNotDir)
		}
		root, err := os.OpenRoot(a)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("%w %s: %v", ErrNoDir, d, err)
		}
		abs = append(abs, a)
		s.roots = append(s.roots, root)
	}
	s.w = newWatcher(abs, slices.Clone(opts.Dirs), now)
	page, err := renderPage()
	if err != nil {
		s.Close()
		return nil, err
	}
	s.page = page
	return s, nil
}

// Close releases the directories. Serve closes the server when it returns.
func (s *Server) Close() error {
	s.stopOnce.Do(func() { close(s.stop) })
	var errs []error
	for _, r := range s.roots {
		errs = append(errs, r.Close())
	}
	s.roots = nil
	return errors.Join(errs...)
}

// Poll reads what changed in the directories once. Serve polls on its own;
// tests call it to step the server.
func (s *Server) Poll() { s.w.poll() }

// Snapshot returns what an update event for req carries now.
func (s *Server) Snapshot(req ViewRequest) *Snapshot { return s.w.snapshot(req) }

// Serve polls the directories and serves the dashboard on ln until ctx is
// done, then stops: the event streams end, the requests in flight finish
// (for at most five seconds), and the server is closed. It returns nil
// after ctx is done, and the error that stopped it otherwise.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer s.Close()
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.w.poll()
	pollDone := make(chan struct{})
	go func() {
		defer close(pollDone)
		t := time.NewTicker(s.poll)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				s.w.poll()
			case <-ctx.Done():
				return
			case <-s.stop:
				return
			}
		}
	}()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		s.stopOnce.Do(func() { close(s.stop) }) // end the event streams, which never go idle
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = srv.Shutdown(sctx)
		if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
	}
	s.stopOnce.Do(func() { close(s.stop) })
	<-pollDone
	return err
}

// Handler returns the dashboard's routes:
//
//	GET /                       the page (uPlot and its script inlined: it loads nothing else)
//	GET /events?group=&point=&metric=&window=   server-sent events: an "update" with a Snapshot as JSON at each change
//	GET /api/snapshot?...       the same Snapshot, once
//	GET /files/{dir}/{path...}  a result file (report, tables, charts) below given directory number dir
//
// A request with any other method is refused (405), as is one whose Host
// is not a loopback name (421: a page of another site that a DNS
// rebinding points at 127.0.0.1 cannot read the dashboard).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.servePage)
	mux.HandleFunc("GET /events", s.serveEvents)
	mux.HandleFunc("GET /api/snapshot", s.serveSnapshot)
	mux.HandleFunc("GET /files/{root}/{path...}", s.serveFile)
	return guard(mux)
}

// guard refuses every method but GET and HEAD, and hosts other than
// loopback ones, and sets the headers every answer carries.
func guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "read-only: only GET and HEAD", http.StatusMethodNotAllowed)
			return
		}
		if !loopbackHost(r.Host) {
			http.Error(w, "the dashboard answers only to localhost and 127.0.0.1", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackHost reports whether a Host header names this machine's
// loopback interface (any port: an SSH tunnel may forward another).
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

//go:embed page.html
var pageHTML string

//go:embed app.js
var appJS string

//go:embed assets/uPlot.iife.min.js
var uplotJS string

//go:embed assets/uPlot.min.css
var uplotCSS string

// renderPage returns the page with uPlot, its stylesheet and the
// dashboard's script inlined.
func renderPage() ([]byte, error) {
	t, err := template.New("page").Parse(pageHTML)
	if err != nil {
		return nil, fmt.Errorf("dashboard page: %w", err)
	}
	var b bytes.Buffer
	err = t.Execute(&b, map[string]any{
		"UPlotJS":  template.JS(uplotJS),
		"UPlotCSS": template.CSS(uplotCSS),
		"AppJS":    template.JS(appJS),
	})
	if err != nil {
		return nil, fmt.Errorf("dashboard page: %w", err)
	}
	return b.Bytes(), nil
}

// pagePolicy lets the page run its inline script and styles and talk to
// this server only.
const pagePolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", pagePolicy)
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(s.page))
}

func viewRequest(r *http.Request) ViewRequest {
	q := r.URL.Query()
	point, _ := strconv.Atoi(q.Get("point"))
	return ViewRequest{Group: q.Get("group"), Point: point, Metric: q.Get("metric"), Window: q.Get("window")}
}

func (s *Server) serveSnapshot(w http.ResponseWriter, r *http.Request) {
	b, err := s.w.snapshot(viewRequest(r)).encode()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

// keepAlive is how often an idle event stream gets a comment line, so
// that proxies and SSH tunnels keep it open.
const keepAlive = 15 * time.Second

// serveEvents streams an "update" event (id: the version) at once and at
// each change, until the client goes or the server stops.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	req := viewRequest(r)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	sent := false
	var last uint64
	for {
		version, changed := s.w.current()
		if !sent || version != last {
			b, err := s.w.snapshot(req).encode()
			if err != nil {
				fmt.Fprintf(w, "event: problem\ndata: %q\n\n", err.Error())
			} else {
				fmt.Fprintf(w, "id: %d\nevent: update\ndata: %s\n\n", version, b)
			}
			fl.Flush()
			sent, last = true, version
		}
		select {
		case <-changed:
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			fl.Flush()
		case <-r.Context().Done():
			return
		case <-s.stop:
			return
		}
	}
}
