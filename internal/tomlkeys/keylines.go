package tomlkeys

import (
	"strconv"
	"strings"
)

// BurntSushi/toml does not report key positions, so the lines of keys are
// found by a scanner of our own. It knows TOML's lexical structure (the four
// kinds of strings, multi-line ones included, comments, brackets, dotted and
// quoted keys) but not the rest of the grammar: it is used only to point
// messages at a line and to bound nesting before the decoder runs, and it
// never fails (on text it does not understand it skips to the next line).

type tokKind uint8

const (
	tEOF     tokKind = iota
	tNewline         // "\n" outside strings and brackets or inside them
	tPunct           // one of [ ] { } = , .
	tString          // a quoted string (text: its content)
	tWord            // anything else up to whitespace or punctuation
)

type token struct {
	kind tokKind
	text string // tPunct: the character; tString: the unquoted content; tWord: the word
	line int    // 1-based line on which the token starts
}

// lexer splits TOML text into tokens. It is linear in the length of the
// text and never panics.
type lexer struct {
	s    string
	i    int
	line int
}

// newLexer returns a lexer of s. A byte order mark at the start is skipped,
// as the decoder skips it.
func newLexer(s string) *lexer {
	lx := &lexer{s: s, line: 1}
	if strings.HasPrefix(s, "\uFEFF") {
		lx.i = len("\uFEFF")
	}
	return lx
}

func (lx *lexer) next() token {
	s := lx.s
	for lx.i < len(s) {
		c := s[lx.i]
		switch c {
		case ' ', '\t', '\r':
			lx.i++
		case '#':
			for lx.i < len(s) && s[lx.i] != '\n' {
				lx.i++
			}
		case '\n':
			lx.i++
			lx.line++
			return token{kind: tNewline, line: lx.line - 1}
		case '[', ']', '{', '}', '=', ',', '.':
			lx.i++
			return token{kind: tPunct, text: s[lx.i-1 : lx.i], line: lx.line}
		case '"', '\'':
			return lx.str(c)
		default:
			start := lx.i
			for lx.i < len(s) && !strings.ContainsRune(" \t\r\n#[]{}=,.\"'", rune(s[lx.i])) {
				lx.i++
			}
			return token{kind: tWord, text: s[start:lx.i], line: lx.line}
		}
	}
	return token{kind: tEOF, line: lx.line}
}

// str lexes a string starting at lx.i with quote character q. An
// unterminated single-line string ends at the end of its line.
func (lx *lexer) str(q byte) token {
	s, line := lx.s, lx.line
	triple := string([]byte{q, q, q})
	if strings.HasPrefix(s[lx.i:], triple) {
		lx.i += 3
		start := lx.i
		for lx.i < len(s) {
			c := s[lx.i]
			switch {
			case c == '\\' && q == '"' && lx.i+1 < len(s):
				if s[lx.i+1] == '\n' {
					lx.line++
				}
				lx.i += 2
			case c == '\n':
				lx.line++
				lx.i++
			case strings.HasPrefix(s[lx.i:], triple):
				// Up to two more quotes belong to the content: """a"""" is `a"`.
				end := lx.i
				for k := 0; k < 2 && end+3 < len(s) && s[end+3] == q; k++ {
					end++
				}
				lx.i = end + 3
				return token{kind: tString, text: s[start:end], line: line}
			default:
				lx.i++
			}
		}
		return token{kind: tString, text: s[start:], line: line}
	}
	lx.i++
	start := lx.i
	for lx.i < len(s) {
		c := s[lx.i]
		switch {
		case c == '\\' && q == '"' && lx.i+1 < len(s) && s[lx.i+1] != '\n':
			lx.i += 2
		case c == '\n':
			return token{kind: tString, text: unquote(q, s[start:lx.i]), line: line}
		case c == q:
			lx.i++
			return token{kind: tString, text: unquote(q, s[start:lx.i-1]), line: line}
		default:
			lx.i++
		}
	}
	return token{kind: tString, text: unquote(q, s[start:]), line: line}
}

// unquote decodes the escapes of a basic string's content where Go's rules
// agree with TOML's; otherwise it returns the content as written.
func unquote(q byte, content string) string {
	if q == '\'' || !strings.Contains(content, `\`) {
		return content
	}
	if u, err := strconv.Unquote(`"` + content + `"`); err == nil {
		return u
	}
	return content
}

func (t token) is(p string) bool { return t.kind == tPunct && t.text == p }

// keyParts reads a dotted key (bare or quoted parts separated by dots)
// starting at *t, advancing *t past it. It returns nil if *t does not start
// a key.
func keyParts(lx *lexer, t *token) []string {
	var parts []string
	for {
		if t.kind != tWord && t.kind != tString {
			return parts
		}
		parts = append(parts, t.text)
		*t = lx.next()
		if !t.is(".") {
			return parts
		}
		*t = lx.next()
	}
}

// header reads a table header after its first '[' (at *t): [a.b] or
// [[a.b]]. It returns the path with array indices applied (see
// indexArrays) and updates arrays; ok is false if the header is malformed.
func header(lx *lexer, t *token, arrays map[string]int) (path string, parts []string, ok bool) {
	isArray := false
	if t.is("[") {
		isArray = true
		*t = lx.next()
	}
	parts = keyParts(lx, t)
	if len(parts) == 0 || !t.is("]") {
		return "", parts, false
	}
	*t = lx.next()
	if isArray {
		if !t.is("]") {
			return "", parts, false
		}
		*t = lx.next()
	}
	name := indexArrays(strings.Join(parts, "."), arrays)
	if !isArray {
		return name, parts, true
	}
	n := arrays[name]
	arrays[name] = n + 1
	return name + "[" + strconv.Itoa(n) + "]", parts, true
}

// KeyLines maps dotted key paths of a TOML document to the lines on which
// they are set, in order (a key set twice has two lines). Table headers
// ([a.b], [[arr]]), key = value lines and the keys of inline tables are
// recorded, with quoted keys unquoted, so that "a.b" = 1, a.b = 1 and
// a = {b = 1} all give the path a.b. Arrays of tables get an index:
// arms[2].name; so do inline tables inside arrays. An unknown path has no
// lines.
func KeyLines(text string) map[string][]int {
	w := &lineWalker{lx: newLexer(text), lines: map[string][]int{}}
	arrays := map[string]int{}
	prefix := ""
	w.t = w.lx.next()
	for w.t.kind != tEOF {
		switch {
		case w.t.kind == tNewline:
			w.t = w.lx.next()
			continue
		case w.t.is("["):
			line := w.t.line
			w.t = w.lx.next()
			if p, _, ok := header(w.lx, &w.t, arrays); ok {
				prefix = p
				w.record(prefix, line)
			}
		default:
			line := w.t.line
			parts := keyParts(w.lx, &w.t)
			if len(parts) > 0 && w.t.is("=") {
				path := strings.Join(parts, ".")
				if prefix != "" {
					path = prefix + "." + path
				}
				w.record(path, line)
				w.t = w.lx.next()
				w.value(path, 0)
			}
		}
		// Whatever is left of the line (nothing, in valid TOML).
		for w.t.kind != tNewline && w.t.kind != tEOF {
			w.t = w.lx.next()
		}
	}
	return w.lines
}

type lineWalker struct {
	lx    *lexer
	t     token
	lines map[string][]int
}

func (w *lineWalker) record(path string, line int) { w.lines[path] = append(w.lines[path], line) }

// MaxNesting is the nesting the experiment loader and the world decoder
// allow (CheckNesting's limit): table header parts, dotted key parts,
// inline tables and arrays together.
const MaxNesting = 16

// maxWalkDepth bounds the walker's recursion; deeper input is rejected by
// CheckNesting before the walker sees it, so this is only a safety net.
const maxWalkDepth = 4 * MaxNesting

// value walks one value (a scalar, an array or an inline table) whose key
// path is path, recording the keys of inline tables.
func (w *lineWalker) value(path string, depth int) {
	switch {
	case w.t.kind == tString:
		w.t = w.lx.next()
	case w.t.kind == tWord:
		// Numbers, booleans, dates: words and dots (1.5, 1979-05-27 07:32:00).
		for w.t.kind == tWord || w.t.is(".") {
			w.t = w.lx.next()
		}
	case w.t.is("{") || w.t.is("["):
		table := w.t.is("{")
		closer := "]"
		if table {
			closer = "}"
		}
		w.t = w.lx.next()
		i := 0
		for w.t.kind != tEOF && !w.t.is(closer) {
			start := w.lx.i
			switch {
			case w.t.kind == tNewline || w.t.is(","):
				w.t = w.lx.next()
				continue
			case depth >= maxWalkDepth:
				w.t = w.lx.next()
				continue
			case table:
				line := w.t.line
				parts := keyParts(w.lx, &w.t)
				if len(parts) > 0 && w.t.is("=") {
					p := path + "." + strings.Join(parts, ".")
					w.record(p, line)
					w.t = w.lx.next()
					w.value(p, depth+1)
				}
			default:
				p := path + "[" + strconv.Itoa(i) + "]"
				w.record(p, w.t.line)
				w.value(p, depth+1)
				i++
			}
			if w.lx.i == start && !w.t.is(closer) && w.t.kind != tEOF {
				w.t = w.lx.next() // no progress: skip a token the grammar does not expect
			}
		}
		if w.t.is(closer) {
			w.t = w.lx.next()
		}
	}
}

// indexArrays rewrites a header path so that each prefix naming an open
// array of tables refers to its last element: arms.overrides -> arms[1].overrides.
func indexArrays(name string, arrays map[string]int) string {
	parts := strings.Split(name, ".")
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
		if i < len(parts)-1 {
			if n, ok := arrays[b.String()]; ok && n > 0 {
				b.WriteString("[" + strconv.Itoa(n-1) + "]")
			}
		}
	}
	return b.String()
}

// NestingProblem is where CheckNesting found the text nested too deeply.
type NestingProblem struct {
	Line  int    // 1-based line of the first point deeper than the limit
	Key   string // the key path there, abbreviated (shortKey)
	Depth int    // its depth
}

// CheckNesting bounds how deeply text nests before the TOML decoder sees
// it: the decoder's time and memory grow with the square of the nesting (40
// KB of nested inline tables cost it 4 GB). The depth of a point is the
// number of table levels it is inside: the parts of the current table
// header, the parts of the dotted keys leading to it and the inline tables
// and arrays around it. The count depends only on strings and comments
// being lexed as the decoder lexes them and on brackets matching, not on
// the rest of the grammar, and stops at the first point deeper than limit.
func CheckNesting(text string, limit int) *NestingProblem {
	type level struct {
		dots    int  // dots in the current key
		array   bool // an array: its elements are values, not keys
		afterEq bool // past the '=' of the current key
	}
	lx := newLexer(text)
	arrays := map[string]int{}
	prefix := ""          // the current table's path
	hdr := 0              // parts of the current table header
	levels := []level{{}} // the top level, then one per open bracket
	sum := 0              // dots of all levels
	var key []string      // the key of the current top-level expression
	start := true         // at the start of a top-level expression
	depth := func() int { return hdr + len(levels) + sum }
	where := func(line int) *NestingProblem {
		parts := key
		if prefix != "" {
			parts = append(strings.Split(prefix, "."), key...)
		}
		return &NestingProblem{Line: line, Key: shortKey(parts), Depth: depth()}
	}
	t := lx.next()
	for t.kind != tEOF {
		top := len(levels) == 1
		cur := &levels[len(levels)-1]
		switch {
		case t.kind == tNewline:
			if top {
				sum -= cur.dots
				*cur = level{}
				key, start = nil, true
			}
			t = lx.next()
			continue
		case start && top && t.is("["):
			line := t.line
			t = lx.next()
			p, parts, ok := header(lx, &t, arrays)
			if len(parts) > limit {
				prefix, key = "", nil
				return &NestingProblem{Line: line, Key: shortKey(parts), Depth: len(parts)}
			}
			if ok {
				prefix, hdr = p, len(parts)
			}
			start = false
			continue
		case t.is("[") || t.is("{"):
			levels = append(levels, level{array: t.is("[")})
			if depth() > limit {
				return where(t.line)
			}
		case t.is("]") || t.is("}"):
			if !top {
				sum -= cur.dots
				levels = levels[:len(levels)-1]
			}
		case t.is("."):
			if !cur.array && !cur.afterEq {
				cur.dots++
				sum++
				if depth() > limit {
					return where(t.line)
				}
			}
		case t.is(","):
			sum -= cur.dots
			cur.dots, cur.afterEq = 0, false
		case t.is("="):
			cur.afterEq = true
		default: // a word or a string
			if top && !cur.afterEq && len(key) <= limit {
				key = append(key, t.text)
			}
		}
		start = false
		t = lx.next()
	}
	return nil
}

// shortKey joins key parts for a message, abbreviating a long path.
func shortKey(parts []string) string {
	const show = 4
	for i, p := range parts {
		if len(p) > 40 {
			parts = append(append([]string(nil), parts[:i]...), p[:40]+"…")
			break
		}
	}
	if len(parts) > show {
		return strings.Join(parts[:show], ".") + ".…"
	}
	return strings.Join(parts, ".")
}
