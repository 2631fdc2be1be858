// A correct receiver: lcwh test finds nothing.
package main

import "github.com/lcwh/lcwh/cmd/lcwh/testdata/receivers/receiver"

func main() { receiver.Main(&receiver.Receiver{}) }
