// Package cmdutil holds what every command shares: the factory handed to
// each command, the errors that carry exit codes, and the flag helpers.
package cmdutil

import (
	"errors"
	"fmt"
)

// Exit codes, documented in the README and `lcwh help exit-codes`.
const (
	ExitOK         = 0 // everything valid / every response as expected
	ExitFailure    = 1 // invalid or unparsable input, unexpected responses
	ExitUsage      = 2 // bad flags or arguments, missing paths, bad configuration
	ExitConnection = 3 // a target could not be reached
	ExitInterrupt  = 130
)

// ExitCodes documents each exit code, for `lcwh help exit-codes`.
var ExitCodes = []struct {
	Code    int
	Meaning string
}{
	{ExitOK, "success: every file valid, every response as expected"},
	{ExitFailure, "failure: an invalid or unparsable input, an unexpected response, a connection closed without one"},
	{ExitUsage, "usage error: unknown command, bad flag or argument, no such path, bad configuration"},
	{ExitConnection, "a target could not be reached (connection refused, DNS, TLS, time-out)"},
	{ExitInterrupt, "interrupted (Ctrl-C) before finishing"},
}

// ExitError carries the exit code for an error.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }
func (e *ExitError) Unwrap() error { return e.Err }

// UsageError is a mistake in how lcwh was called (exit 2).
func UsageError(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// ErrSilent is returned when the command has already reported the failure
// itself; it exits 1 and prints nothing more.
var ErrSilent = errors.New("silent failure")

// SilentExit returns an already-reported failure with a specific exit code.
func SilentExit(code int) error { return &ExitError{Code: code, Err: ErrSilent} }

// ExitCode maps an error returned by a command to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	if errors.Is(err, ErrSilent) {
		return ExitFailure
	}
	return ExitFailure
}
