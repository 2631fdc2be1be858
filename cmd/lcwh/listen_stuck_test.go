package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestListenNeverWaitsForStdout is #12 item 3: the terminal view could
// stall the listener (a pretty body of 2 GB; or a terminal, a pager, a
// pipe that stopped reading), and senders waited for their answer. The
// real binary prints to a pipe nobody reads: every delivery is still
// answered, and lcwh says what it did not show.
func TestListenNeverWaitsForStdout(t *testing.T) {
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	stuck, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	var stderr bytes.Buffer
	cmd := exec.Command("lcwh", "listen", "--addr", "127.0.0.1:0", "--no-ui", "--ready-file", ready, "--format", "pretty", "--max-concurrent", "4")
	cmd.Stdout, cmd.Stderr = w, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	defer cmd.Process.Kill()
	url := waitReady(t, ready)

	// 320 bodies of 150 KB: more than the view queues (32 MiB of bodies)
	// while the pipe (64 KB) is full
	body := []byte(`{"webhook_id":"w","secret_key":"s","action":"thread_tagged","organization_id":"o","payload":{"chat_id":"C","thread_id":"T","tag":"` + strings.Repeat("x", 150<<10) + `"}}`)
	client := &http.Client{Timeout: 20 * time.Second}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 40 {
				resp, err := client.Post(url+"/", "application/json", bytes.NewReader(body))
				if err == nil {
					resp.Body.Close()
				}
				if err != nil || resp.StatusCode != 200 {
					mu.Lock()
					failures = append(failures, err.Error())
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d senders were not answered while stdout was stuck; first: %s", len(failures), failures[0])
	}
	go io.Copy(io.Discard, stuck) // the reader comes back
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("listen did not stop")
	}
	if !strings.Contains(stderr.String(), "Stopped after 320 deliveries") || !strings.Contains(stderr.String(), "not shown: stdout fell behind (all were answered)") {
		t.Fatalf("stderr:\n%s", stderr.String())
	}
}

func waitReady(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(path); err == nil {
			return strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
		}
		if time.Now().After(deadline) {
			t.Fatal("listen did not start")
		}
		time.Sleep(10 * time.Millisecond) // the file is the readiness signal
	}
}
