package experiments

import "frontiersim/internal/tomlkeys"

// keyLines maps dotted key paths of a TOML document to the line on which
// they are set (see tomlkeys.Lines, which the world decoder of package
// agents shares). It is used only to point messages at a line; an unknown
// path gets 0.
func keyLines(text string) map[string]int { return tomlkeys.Lines(text) }
