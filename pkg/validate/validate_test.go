package validate

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lcwh/lcwh/pkg/inputs"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/record"
)

// Each line of JSON Lines and of a recording is a webhook of its own, its
// errors located in the file; what is only a note does not become a result.
func TestFilesLines(t *testing.T) {
	t.Chdir(t.TempDir())
	tagged := `{"webhook_id":"w","secret_key":"s","action":"thread_tagged","organization_id":"o","payload":{"chat_id":"C","thread_id":"T","tag":"x"}}`
	bad := strings.Replace(tagged, `"tag":"x"`, `"tag":5`, 1)
	e := &record.Entry{Method: "POST", Verdict: record.Verdict{Secret: "ok"}}
	e.SetBody([]byte(strings.Replace(bad, `"payload"`, "\n  \"payload\"", 1)))
	line, _ := record.AppendLine(nil, e)
	files := map[string]string{
		"bodies.jsonl": tagged + "\n\n" + bad + "\n{,}\n",
		"rec.jsonl":    string(line) + string(line[:30]) + "\n",
	}
	for name, data := range files {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var got, notes []string
	err := Files(context.Background(), []inputs.Source{{Path: "bodies.jsonl"}, {Path: "rec.jsonl"}}, nil, Options{Version: payload.DefaultVersion},
		func(r Result) {
			var errs []string
			for _, e := range r.Errors {
				errs = append(errs, fmt.Sprintf("%d:%d %s", e.Line, e.Column, e.Pointer))
			}
			got = append(got, fmt.Sprintf("%s %v %v", r.Where(), r.Valid, errs))
		},
		func(where string, err error) { notes = append(notes, where+" "+err.Error()) })
	if err != nil {
		t.Fatal(err)
	}
	col := strings.Index(string(line), `5}}`) + 1 // the tag, in the escaped body
	want := []string{
		"bodies.jsonl:1 true []",
		fmt.Sprintf("bodies.jsonl:3 false [3:%d /payload/tag]", strings.Index(bad, "5")+1),
		"bodies.jsonl:4 false [4:2 ]",
		fmt.Sprintf("rec.jsonl:1 false [1:%d /payload/tag]", col),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "rec.jsonl:2 line cut off") {
		t.Errorf("notes: %q", notes)
	}
}
