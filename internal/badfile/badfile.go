// Package badfile reads the comment header of the bad experiment files in
// experiments/testdata/bad, which say what problem each file must be
// reported with. The experiments tests and the runsim tests share it.
package badfile

import (
	"fmt"
	"strconv"
	"strings"
)

// Want is what a bad file's header says its problem is.
type Want struct {
	Keys []string // "# want: KEY" lines; "-" means the problem has no key
	Msg  string   // "# msg: TEXT": a problem's message contains TEXT
	Line int      // "# line: N", or the line marked "# <-": the problem's line (0: not given)
}

// Parse reads the header of the bad file name with contents b. An empty file
// has no room for a header: it must be reported as missing its name.
func Parse(name string, b []byte) (Want, error) {
	if len(b) == 0 {
		return Want{Keys: []string{"name"}, Msg: "missing"}, nil
	}
	var w Want
	for i, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(l, "# want: "):
			w.Keys = append(w.Keys, strings.TrimSpace(strings.TrimPrefix(l, "# want: ")))
		case strings.HasPrefix(l, "# msg: "):
			w.Msg = strings.TrimSpace(strings.TrimPrefix(l, "# msg: "))
		case strings.HasPrefix(l, "# line: "):
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(l, "# line: ")))
			if err != nil {
				return w, fmt.Errorf("%s: bad line header: %v", name, err)
			}
			w.Line = n
		case strings.HasSuffix(strings.TrimSpace(l), "# <-"):
			w.Line = i + 1
		}
	}
	if len(w.Keys) == 0 {
		return w, fmt.Errorf("%s: no '# want: KEY' header", name)
	}
	return w, nil
}
