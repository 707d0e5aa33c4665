// Package docs embeds the generated documents that the program shows: the
// validation report, docs/validation.md (written by make
// validation-report), whose verdicts runsim's HTML report states beside
// its results.
//
// docs imports the standard library only.
package docs

import _ "embed"

// ValidationReport is docs/validation.md as committed.
//
//go:embed validation.md
var ValidationReport []byte
