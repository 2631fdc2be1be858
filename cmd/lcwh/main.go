// Command lcwh is the LiveChat webhooks toolkit.
package main

import (
	"os"

	"github.com/lcwh/lcwh/pkg/cli"
	"github.com/lcwh/lcwh/pkg/iostreams"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], iostreams.System(), os.Getenv))
}
