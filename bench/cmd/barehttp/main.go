// Command barehttp is the baseline of the network benchmarks: a bare
// net/http server on loopback that reads each request body and answers 200.
// It prints its address on stdout once it accepts connections.
//
//	barehttp -addr 127.0.0.1:0
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "barehttp:", err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr().String())
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}))
	fmt.Fprintln(os.Stderr, "barehttp:", err)
	os.Exit(1)
}
