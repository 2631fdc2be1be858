package record

import (
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	valid := Facts{Parsed: true, Checked: true}
	for _, c := range []struct {
		f    Facts
		want Kind
	}{
		{valid, Valid},
		{Facts{Parsed: true, Checked: true, Errors: 2}, Invalid},
		{Facts{Parsed: true}, Unchecked},
		{Facts{Parsed: true, Rejected: true}, Rejected},
		{Facts{}, Malformed},
		{Facts{WrongPath: true, Parsed: true, Checked: true}, WrongPath},
		{Facts{TooLarge: true, WrongPath: true}, TooLarge},
		{Facts{Unread: true, TooLarge: true}, Unread},
		{Facts{Filtered: true, Parsed: true}, Filtered},
	} {
		if got := Classify(c.f); got != c.want {
			t.Errorf("Classify(%+v) = %s, want %s", c.f, got, c.want)
		}
	}
	// every verdict a recording can hold has a label; Filtered is never recorded
	named := map[Kind]bool{}
	for _, k := range Kinds {
		if k.Label == "" || named[k.Name] || k.Name == Filtered {
			t.Errorf("Kinds: %+v", k)
		}
		named[k.Name] = true
	}
	if len(named) != 8 {
		t.Errorf("%d verdicts named", len(named))
	}
}

// TestKindOfOldLines: lines written before the verdict was recorded get
// the one Classify gives from what they hold.
func TestKindOfOldLines(t *testing.T) {
	for _, c := range []struct {
		line string
		want Kind
	}{
		{`{"body":"{}","verdict":{"parsed":true,"valid":true,"secret":"ok"},"response":{"status":200}}`, Valid},
		{`{"body":"{}","verdict":{"parsed":true,"valid":false,"secret":"unchecked","errors":["1:2: x"]},"response":{"status":200}}`, Invalid},
		{`{"body":"{}","verdict":{"parsed":true,"valid":false,"secret":"wrong"},"response":{"status":401}}`, Rejected},
		{`{"body":"{}","verdict":{"parsed":true,"valid":false,"secret":"missing"},"response":{"status":401}}`, Rejected},
		{`{"body":"{","verdict":{"parsed":false,"valid":false,"secret":"unchecked","errors":["1:2: eof"]},"response":{"status":400}}`, Malformed},
		{`{"body":"{","verdict":{"parsed":false,"valid":false,"secret":"unchecked","errors":["body larger than the limit"]},"response":{"status":413}}`, TooLarge},
		{`{"body":"{}","verdict":{"parsed":false,"valid":false,"secret":"unchecked"},"response":{"status":404}}`, WrongPath},
		{`{"body":"{","verdict":{"parsed":false,"valid":false,"secret":"unchecked","errors":["cannot read the body: unexpected EOF"]},"response":{"status":400}}`, Unread},
		{`{"body":"{}","verdict":{"parsed":true,"valid":false,"secret":"unchecked"},"response":{"status":500}}`, Unchecked},
		// recorded: taken as written
		{`{"body":"{}","verdict":{"kind":"invalid","parsed":true,"valid":false,"secret":"ok","errors":["1:2: x"]},"response":{"status":200}}`, Invalid},
	} {
		e, err := NewReader(strings.NewReader(c.line)).Next()
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Kind(); got != c.want {
			t.Errorf("%s: %s, want %s", c.line, got, c.want)
		}
	}
}
