package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lcwh/lcwh/pkg/iostreams"
	"github.com/lcwh/lcwh/pkg/junit"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/render"
	"github.com/lcwh/lcwh/pkg/validate"
)

// renderer writes results as they come and a summary at the end.
type renderer interface {
	result(validate.Result)
	finish(Summary) error
}

var renderers = map[string]func(*iostreams.IOStreams, bool) renderer{
	"text": func(io *iostreams.IOStreams, verbose bool) renderer {
		return &textRenderer{io: io, p: iostreams.NewPalette(io.ColorOut()), verbose: verbose, guessed: map[string]int{}}
	},
	"json":   func(io *iostreams.IOStreams, _ bool) renderer { return &jsonRenderer{io: io} },
	"github": func(io *iostreams.IOStreams, _ bool) renderer { return &githubRenderer{io: io} },
	"junit":  func(io *iostreams.IOStreams, _ bool) renderer { return &junitRenderer{io: io} },
}

// text: path:line:col: /pointer: message, then a summary line.
type textRenderer struct {
	io      *iostreams.IOStreams
	p       iostreams.Palette
	verbose bool
	guessed map[string]int // files per guessed API version
}

func (t *textRenderer) result(r validate.Result) {
	if r.VersionReason != "" {
		t.guessed[r.APIVersion]++
		// Why a version was assumed matters where a file failed; -v tells it for every file.
		if t.verbose || !r.Valid {
			p := iostreams.NewPalette(t.io.ColorErr())
			fmt.Fprintf(t.io.ErrOut, "%s: %s assumed API %s: %s\n", p.Bold(render.Clean(r.Where())), p.Faint("note:"), r.APIVersion, render.Clean(r.VersionReason))
		}
	}
	for _, e := range inOrder(r) {
		loc := render.Clean(at(r, e))
		if e.Severity == payload.SeverityWarning {
			// A warning reads like an error, dimmed: it does not fail the file.
			fmt.Fprintf(t.io.Out, "%s %s %s\n", t.p.Faint(loc+":"), t.p.Yellow("warning:"), t.p.Faint(describe(e, iostreams.NewPalette(false))))
			continue
		}
		fmt.Fprintf(t.io.Out, "%s: %s %s\n", t.p.Bold(loc), t.p.Red("error:"), describe(e, t.p))
	}
}

// inOrder merges a result's errors and warnings in their order in the source.
func inOrder(r validate.Result) []payload.Error {
	all := append(append([]payload.Error(nil), r.Errors...), r.Warnings...)
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
	})
	return all
}

func (t *textRenderer) finish(s Summary) error {
	if len(t.guessed) > 0 {
		var parts []string
		for _, v := range payload.Versions() {
			if n := t.guessed[v]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s for %d %s", v, n, plural(n, "file", "files")))
			}
		}
		hint := ""
		if !t.verbose {
			hint = " (-v says why for each file)"
		}
		fmt.Fprintf(t.io.ErrOut, "API version guessed: %s%s\n", strings.Join(parts, ", "), hint)
	}
	line := s.String()
	switch {
	case s.Invalid > 0:
		line = t.p.Red(line)
	case s.Warnings > 0:
		line = t.p.Yellow(line)
	default:
		line = t.p.Green(line)
	}
	_, err := fmt.Fprintln(t.io.Out, line)
	return err
}

// at is where an error is: path:line:col, path:line, or the input.
func at(r validate.Result, e payload.Error) string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d", r.Path, e.Line, e.Column)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d", r.Path, e.Line)
	}
	return r.Where()
}

// describe renders an error's pointer and message for people (both may
// quote the body: escaped).
func describe(e payload.Error, p iostreams.Palette) string {
	switch {
	case e.Keyword == validate.KeywordSyntax:
		return "syntax error: " + render.Clean(e.Message)
	case e.Pointer != "":
		return p.Cyan(render.Clean(e.Pointer)) + ": " + render.Clean(e.Message)
	}
	return render.Clean(e.Message)
}

// json: one object with every file and the summary.
type jsonRenderer struct {
	io    *iostreams.IOStreams
	files []validate.Result
}

func (j *jsonRenderer) result(r validate.Result) {
	if r.Errors == nil {
		r.Errors = []payload.Error{}
	}
	if r.Warnings == nil {
		r.Warnings = []payload.Error{}
	}
	j.files = append(j.files, r)
}

func (j *jsonRenderer) finish(s Summary) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		Files   []validate.Result `json:"files"`
		Summary Summary           `json:"summary"`
	}{j.files, s}); err != nil {
		return err
	}
	out := b.Bytes()
	if j.io.OutTTY {
		out = render.CleanJSON(out) // DEL, C1 and bidi controls: JSON lets them be raw
	}
	_, err := j.io.Out.Write(out)
	return err
}

// github: workflow commands that annotate the files in a pull request.
type githubRenderer struct{ io *iostreams.IOStreams }

func (g *githubRenderer) result(r validate.Result) {
	for _, e := range inOrder(r) {
		props := "file=" + ghProperty(r.Path)
		if e.Line > 0 {
			props += fmt.Sprintf(",line=%d", e.Line)
		}
		if e.Column > 0 {
			props += fmt.Sprintf(",col=%d", e.Column)
		}
		fmt.Fprintf(g.io.Out, "::%s %s,title=%s::%s\n", e.Severity, props, ghProperty("lcwh validate"), ghData(describe(e, iostreams.NewPalette(false))))
	}
}

func (g *githubRenderer) finish(s Summary) error {
	_, err := fmt.Fprintln(g.io.Out, s.String())
	return err
}

// Escaping as GitHub's toolkit does for workflow commands.
var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func ghData(s string) string {
	return ghDataEscaper.Replace(s)
}

func ghProperty(s string) string {
	return ghPropertyEscaper.Replace(s)
}

// junit: one testcase per file, failures listing its errors; warnings go
// to the case's system-out, which dashboards show without failing it.
type junitRenderer struct {
	io    *iostreams.IOStreams
	cases []junit.Case
}

func (j *junitRenderer) result(r validate.Result) {
	c := junit.Case{Name: r.Where(), Classname: "lcwh.validate"}
	list := func(errs []payload.Error, prefix string) string {
		var b strings.Builder
		for _, e := range errs {
			if e.Line > 0 {
				fmt.Fprintf(&b, "%s: ", at(r, e))
			}
			fmt.Fprintln(&b, prefix+describe(e, iostreams.NewPalette(false)))
		}
		return b.String()
	}
	if !r.Valid {
		c.Failure = &junit.Failure{
			Message: fmt.Sprintf("%d %s", len(r.Errors), plural(len(r.Errors), "error", "errors")),
			Type:    "invalid",
			Text:    list(r.Errors, ""),
		}
	}
	c.SystemOut = list(r.Warnings, "warning: ")
	j.cases = append(j.cases, c)
}

func (j *junitRenderer) finish(s Summary) error {
	return junit.Write(j.io.Out, junit.Suite{Name: "lcwh validate", Tests: s.Files, Failures: s.Invalid, Cases: j.cases})
}
