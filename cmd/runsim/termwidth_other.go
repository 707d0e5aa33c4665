//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package main

import "os"

// fileWidth returns 0: the terminal's width is not read on this system.
func fileWidth(*os.File) int { return 0 }
