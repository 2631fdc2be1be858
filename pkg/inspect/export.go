package inspect

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
	"github.com/lcwh/lcwh/pkg/render"
)

// Export formats.
const (
	ExportCurl    = "curl"    // a curl command posting the body
	ExportSend    = "send"    // an `lcwh send --file -` command
	ExportFixture = "fixture" // the body as a JSON file download
)

// Export renders a delivery for use outside the inspector. The secret is
// always redacted: commands end up in shell histories and fixtures in
// repositories (`lcwh send --secret` puts one back).
func (in *Inspector) Export(id uint64, as, target string) (content []byte, filename string, err error) {
	it := in.get(id)
	if it == nil {
		return nil, "", fmt.Errorf("delivery %d is not (or no longer) in the history", id)
	}
	body := payload.RedactBody(it.raw, it.parsed)
	if it.parsed {
		body = render.Indent(body)
	}
	redacted := bytes.Contains(body, []byte(`"secret_key": "`+payload.Redacted+`"`)) || bytes.Contains(body, []byte(`"secret_key":"`+payload.Redacted+`"`))
	if target == "" {
		target = in.cfg.ForwardTo
	}
	if target == "" {
		target = in.cfg.ListenURL
	}
	if target == "" {
		target = "http://127.0.0.1:8787/"
	}
	name := it.summary.Action
	if name == "" {
		name = "delivery"
	}
	switch as {
	case ExportFixture:
		return body, fmt.Sprintf("%s-%d.json", name, it.id), nil
	case ExportCurl:
		var b strings.Builder
		fmt.Fprintf(&b, "curl -sS -X POST %s \\\n  -H 'Content-Type: application/json' \\\n  --data-binary @- <<'%s'\n", shellQuote(target), heredocTag(body))
		writeHeredoc(&b, body)
		return []byte(b.String()), "", nil
	case ExportSend:
		var b strings.Builder
		fmt.Fprintf(&b, "lcwh send --file - --to %s", shellQuote(target))
		if redacted {
			b.WriteString(` --secret "$LCWH_SECRET"`)
		}
		if it.verdict != record.Valid {
			b.WriteString(" --no-validate")
		}
		fmt.Fprintf(&b, " <<'%s'\n", heredocTag(body))
		writeHeredoc(&b, body)
		return []byte(b.String()), "", nil
	}
	return nil, "", fmt.Errorf("unknown export %q (want %s, %s or %s)", as, ExportCurl, ExportSend, ExportFixture)
}

func writeHeredoc(b *strings.Builder, body []byte) {
	b.Write(body)
	if len(body) == 0 || body[len(body)-1] != '\n' {
		b.WriteByte('\n')
	}
	b.WriteString(heredocTag(body))
	b.WriteByte('\n')
}

// heredocTag is a here-document delimiter that is not a line of body.
func heredocTag(body []byte) string {
	tag := "WEBHOOK"
	for n := 2; bytes.Contains(append(append([]byte("\n"), body...), '\n'), []byte("\n"+tag+"\n")); n++ {
		tag = fmt.Sprintf("WEBHOOK%d", n)
	}
	return tag
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func (in *Inspector) serveExport(w http.ResponseWriter, r *http.Request) {
	it := in.lookup(w, r)
	if it == nil {
		return
	}
	q := r.URL.Query()
	target := strings.TrimSpace(q.Get("url"))
	if target != "" {
		if err := checkTarget(target); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	content, filename, err := in.Export(it.id, q.Get("as"), target)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if filename != "" {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filename))
	} else {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.Write(content)
}
