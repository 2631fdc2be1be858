package cmdflags

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lcwh/lcwh/pkg/cmdutil"
	"github.com/lcwh/lcwh/pkg/config"
	"github.com/lcwh/lcwh/pkg/deliver"
	"github.com/lcwh/lcwh/pkg/payload"
)

// Delivery holds the flags of every command that sends webhooks (send,
// replay): where to, with which secret, and how each request is made.
// They have one set of defaults: each webhook is sent once, within 10s.
type Delivery struct {
	To           string
	Secret       string
	Timeout      time.Duration
	Retries      int
	Backoff      time.Duration
	Headers      []string // "Name: value", as given
	Insecure     bool
	ExpectStatus []int

	Header http.Header // Headers, parsed by Complete
	config *config.Config
}

// RetriesHelp says why a webhook is sent once unless --retries says
// otherwise; commands repeat it in their long help.
const RetriesHelp = `Each webhook is sent once: a retry would deliver it to your endpoint again,
which can hide a failure or repeat what the endpoint does. --retries N retries
network errors, 429 and 5xx N times (exponential backoff from --backoff, with
jitter, Retry-After honoured, each wait capped at 30s).`

// DeliveryFlags defines the delivery flags of cmd, bound to d.
func DeliveryFlags(cmd *cobra.Command, d *Delivery) {
	TargetFlags(cmd, d)
	fl := cmd.Flags()
	fl.DurationVar(&d.Timeout, "timeout", deliver.DefaultTimeout, "time-out of each request")
	cmdutil.Check(cmd, "timeout", &d.Timeout, cmdutil.Positive)
	fl.IntVar(&d.Retries, "retries", 0, "retries after network errors, 429 and 5xx (0: each webhook is sent once)")
	cmdutil.Check(cmd, "retries", &d.Retries, cmdutil.AtLeast(0))
	fl.DurationVar(&d.Backoff, "backoff", 0, "first retry delay, doubled each retry (default 500ms)")
	fl.IntSliceVar(&d.ExpectStatus, "expect-status", nil, "statuses that count as success (default any 2xx)")
	cmdutil.Check(cmd, "expect-status", &d.ExpectStatus, checkStatuses)
}

// checkStatuses refuses what no HTTP response can carry. A value of the
// flag may hold several (200,202); they are all in the slice by then.
func checkStatuses(statuses []int) error {
	for _, s := range statuses {
		if s < 100 || s > 599 {
			return errors.New("want an HTTP status from 100 to 599")
		}
	}
	return nil
}

// TargetFlags defines the delivery flags that say where webhooks go and
// as whom: --to, --secret, -H and --insecure. DeliveryFlags adds how each
// request is made; lcwh test, which judges the answers itself and never
// retries, has these only.
func TargetFlags(cmd *cobra.Command, d *Delivery) {
	fl := cmd.Flags()
	fl.StringVar(&d.To, "to", "", "target URL (else routes or forward_to from the config)")
	cmdutil.Check(cmd, "to", &d.To, CheckURL)
	fl.StringVar(&d.Secret, "secret", "", "put this secret_key in the body (default: the first configured secret)")
	fl.StringArrayVarP(&d.Headers, "header", "H", nil, "extra request header 'Name: value' (repeatable)")
	fl.Lookup("header").Annotations = map[string][]string{config.SplitAnnotation: {"lines"}}
	cmdutil.Check(cmd, "header", &d.Headers, func(hs []string) error {
		_, err := parseHeader(hs[len(hs)-1])
		return err
	})
	fl.BoolVar(&d.Insecure, "insecure", false, "accept any TLS certificate (self-signed HTTPS)")
}

// CheckURL refuses what lcwh cannot send to.
func CheckURL(s string) error {
	if !deliver.IsHTTPURL(s) {
		return errors.New("want an http:// or https:// URL")
	}
	return nil
}

func parseHeader(s string) ([2]string, error) {
	k, v, ok := strings.Cut(s, ":")
	if !ok || strings.TrimSpace(k) == "" {
		return [2]string{}, errors.New("want 'Name: value'")
	}
	return [2]string{strings.TrimSpace(k), strings.TrimSpace(v)}, nil
}

// Complete finishes d once the flags are parsed: the headers, and the
// secret from the configuration (secrets, secret_file) when --secret is
// not given.
func (d *Delivery) Complete(f *cmdutil.Factory) error {
	d.Header = http.Header{}
	for _, h := range d.Headers {
		kv, _ := parseHeader(h) // checked as they were set
		d.Header.Add(kv[0], kv[1])
	}
	cfg, err := f.Config()
	if err != nil {
		return err
	}
	d.config = cfg
	if d.Secret == "" {
		secrets, err := cfg.Secrets()
		if err != nil {
			return cmdutil.UsageError("%v", err)
		}
		if len(secrets) > 0 {
			d.Secret = secrets[0].Value
		}
	}
	return nil
}

// Secrets are the secrets given on the command line (or LCWH_SECRET),
// then the configured ones (secrets, secret_file), without duplicates.
func Secrets(cfg *config.Config, given []string) ([]string, error) {
	configured, err := cfg.Secrets()
	if err != nil {
		return nil, cmdutil.UsageError("%v", err)
	}
	var out []string
	for _, s := range given {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, s := range configured {
		if !slices.Contains(out, s.Value) {
			out = append(out, s.Value)
		}
	}
	return out, nil
}

// Target is where a webhook of action goes: --to, else the configured
// route of the action, else forward_to. No target at all, or a
// forward_to lcwh cannot send to, is a usage error.
func (d *Delivery) Target(action string) (string, error) {
	if d.To != "" {
		return d.To, nil
	}
	if d.config != nil {
		if v, ok := d.config.Target(action); ok {
			if err := CheckURL(v.Text); err != nil {
				return "", cmdutil.UsageError("%v", &config.Error{Source: v.Source, Key: v.Key, Value: v.Text, Err: err})
			}
			return v.Text, nil
		}
	}
	return "", cmdutil.UsageError("no target: give --to URL (or set to, routes or forward_to in the config)")
}

// CheckRoutes refuses a configured route lcwh could not follow: to an
// action no API version has (naming the nearest), or to a URL it cannot
// send to, naming the file, line and column.
func CheckRoutes(cfg *config.Config) error {
	for _, f := range cfg.Files {
		for _, r := range f.Routes {
			if r.Action != "*" && len(payload.VersionsWith(r.Action)) == 0 {
				hint := ""
				vs := payload.Versions()
				if c, err := payload.CatalogFor(vs[len(vs)-1]); err == nil {
					if near := c.Closest(r.Action, 1); len(near) > 0 {
						hint = fmt.Sprintf(" (did you mean %q?)", near[0])
					}
				}
				at := r.ActionAt
				return &config.FileError{Path: at.Name, Line: at.Line, Col: at.Col, Msg: fmt.Sprintf("routes: unknown action %q%s", r.Action, hint)}
			}
			if err := CheckURL(r.URL); err != nil {
				return &config.Error{Source: r.Source, Key: "routes." + r.Action, Value: r.URL, Err: err}
			}
		}
	}
	return nil
}

// Options are the deliver.Options the flags ask for.
func (d *Delivery) Options() deliver.Options {
	return deliver.Options{Timeout: d.Timeout, Insecure: d.Insecure, Retries: d.Retries, Backoff: d.Backoff, ExpectStatus: d.ExpectStatus}
}

// ExitFor maps the outcome of a run of deliveries to its error: nil, exit
// 3 when a target could not be reached, else exit 1.
func ExitFor(ok, connFailed bool) error {
	switch {
	case connFailed:
		return cmdutil.SilentExit(cmdutil.ExitConnection)
	case !ok:
		return cmdutil.SilentExit(cmdutil.ExitFailure)
	}
	return nil
}
