// Command hello is the start-up baseline: a Go hello-world, built the same
// way as lcwh, so start-up figures are ratios against what any Go binary
// costs on the machine.
package main

import "os"

func main() {
	os.Stdout.WriteString("hello, world\n")
}
