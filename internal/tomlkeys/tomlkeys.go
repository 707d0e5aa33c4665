// Package tomlkeys maps the dotted key paths of a TOML document to the lines
// on which they are set, so that a message about a key can name its line.
// BurntSushi/toml does not report key positions (MetaData keeps them
// private), so Lines scans the text: table headers ([a.b], [[arr]]) and
// "key = value" lines, with quoted keys unquoted. The experiment loader
// (package experiments) and the world decoder (package agents) share it and
// Describe, the kind of a decoded value for messages. It
// imports the standard library only.
package tomlkeys

import (
	"fmt"
	"strconv"
	"strings"
)

// Lines maps dotted key paths of a TOML document to the line (1-based) on
// which they are set. Arrays of tables get an index: arms[2].name, and the
// header of an element maps its own path (arms[2]). It is used only to
// point messages at a line; a path it does not know is absent.
func Lines(text string) map[string]int {
	lines := map[string]int{}
	prefix := ""
	arrays := map[string]int{} // array-of-tables path -> elements so far
	for i, raw := range strings.Split(text, "\n") {
		ln := i + 1
		s := strings.TrimSpace(stripComment(raw))
		if s == "" {
			continue
		}
		switch {
		case strings.HasPrefix(s, "[["):
			name := strings.Join(splitKey(strings.TrimSuffix(strings.TrimPrefix(s, "[["), "]]")), ".")
			name = indexArrays(name, arrays)
			n := arrays[name]
			arrays[name] = n + 1
			prefix = name + "[" + strconv.Itoa(n) + "]"
			if _, ok := lines[prefix]; !ok {
				lines[prefix] = ln
			}
		case strings.HasPrefix(s, "["):
			name := strings.Join(splitKey(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")), ".")
			prefix = indexArrays(name, arrays)
			if _, ok := lines[prefix]; !ok {
				lines[prefix] = ln
			}
		default:
			eq := keyEnd(s)
			if eq < 0 {
				continue
			}
			key := strings.Join(splitKey(s[:eq]), ".")
			path := key
			if prefix != "" {
				path = prefix + "." + key
			}
			if _, ok := lines[path]; !ok {
				lines[path] = ln
			}
		}
	}
	return lines
}

// indexArrays rewrites a header path so that each prefix naming an open
// array of tables refers to its last element: arms.overrides -> arms[1].overrides.
func indexArrays(name string, arrays map[string]int) string {
	parts := strings.Split(name, ".")
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += "."
		}
		out += p
		if i < len(parts)-1 {
			if n, ok := arrays[out]; ok && n > 0 {
				out += "[" + strconv.Itoa(n-1) + "]"
			}
		}
	}
	return out
}

// stripComment removes a trailing # comment outside quotes.
func stripComment(s string) string {
	inStr := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr != 0:
			if c == '\\' && inStr == '"' {
				i++
			} else if c == inStr {
				inStr = 0
			}
		case c == '"' || c == '\'':
			inStr = c
		case c == '#':
			return s[:i]
		}
	}
	return s
}

// keyEnd returns the index of the '=' that ends the key part, or -1.
func keyEnd(s string) int {
	inStr := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr != 0:
			if c == inStr {
				inStr = 0
			}
		case c == '"' || c == '\'':
			inStr = c
		case c == '=':
			return i
		}
	}
	return -1
}

// splitKey splits a (possibly dotted, possibly quoted) TOML key into parts.
func splitKey(k string) []string {
	var parts []string
	var cur strings.Builder
	inStr := byte(0)
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case inStr != 0:
			if c == inStr {
				inStr = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '"' || c == '\'':
			inStr = c
		case c == '.':
			parts = append(parts, strings.TrimSpace(cur.String()))
			cur.Reset()
		case c == ' ' || c == '\t':
		default:
			cur.WriteByte(c)
		}
	}
	parts = append(parts, strings.TrimSpace(cur.String()))
	return parts
}

// Suggest returns the candidate closest to s when it is close enough to be
// a likely typo (edit distance at most 2 + len(s)/5, case-insensitive), or
// a candidate that ends with "."+s (a dotted name given without its
// group); otherwise "".
func Suggest(s string, candidates []string) string {
	if len(s) > 100 {
		return "" // no typo of a name; and the distance costs len(s) × len(candidate)
	}
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(s), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= 2+len(s)/5 {
		return best
	}
	for _, c := range candidates {
		if strings.HasSuffix(c, "."+s) {
			return c
		}
	}
	return ""
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Describe names the kind of a decoded TOML value for a message ("a
// string", "an array of tables", ...).
func Describe(x any) string {
	switch x.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "an array of tables"
	default:
		return fmt.Sprintf("a %T", x)
	}
}

// Problem is one thing wrong with a TOML input file (an experiment file, a
// world file): where, and what is wrong and what is allowed.
type Problem struct {
	File string // the file the key comes from
	Line int    // 1-based line, 0 when unknown
	Key  string // dotted key path, e.g. arms[1].overrides.policy.revenue_share_cap
	Msg  string // what is wrong and what is allowed
}

// String reads FILE:LINE: KEY: MSG, leaving out what is unknown.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		b.WriteString(": ")
	}
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ListProblems is the text of an error listing problems: "invalid WHAT: N
// problem(s)", then one indented line per problem.
func ListProblems(what string, ps []Problem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid %s: %d problem(s)", what, len(ps))
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}
