package cmdflags

import (
	"testing"

	"github.com/lcwh/lcwh/pkg/config"
)

// TestCheckRoutes: a route to an action no API version has, or to a URL
// lcwh cannot send to, is refused naming the file, line and column.
func TestCheckRoutes(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"routes:\n  incoming_chat: http://localhost:3000\n  '*': https://example.com/all\n", ""},
		{"routes:\n  incoming_chta: http://localhost:3000\n", `config c.yaml:2:3: routes: unknown action "incoming_chta" (did you mean "incoming_chat"?)`},
		{"routes:\n  incoming_chat: localhost:3000\n", `config c.yaml:2:18: routes.incoming_chat: "localhost:3000": want an http:// or https:// URL`},
	} {
		f, err := config.Parse("c.yaml", []byte(tt.src))
		if err != nil {
			t.Fatalf("%q: %v", tt.src, err)
		}
		err = CheckRoutes(config.New(nil, f))
		if got := errText(err); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.src, got, tt.want)
		}
	}
}

// TestTargetChecksTheConfiguredURL: a forward_to send cannot use is an
// error naming where it was set; a route wins over forward_to.
func TestTargetChecksTheConfiguredURL(t *testing.T) {
	env := map[string]string{"LCWH_FORWARD_TO": "localhost:1"}
	d := &Delivery{config: config.New(func(k string) string { return env[k] })}
	if _, err := d.Target("incoming_chat"); errText(err) != `LCWH_FORWARD_TO="localhost:1": want an http:// or https:// URL` {
		t.Errorf("bad forward_to: %v", err)
	}
	f, err := config.Parse("c.yaml", []byte("routes:\n  incoming_chat: http://localhost:3000/chats\n"))
	if err != nil {
		t.Fatal(err)
	}
	d.config = config.New(func(k string) string { return env[k] }, f)
	if got, err := d.Target("incoming_chat"); got != "http://localhost:3000/chats" || err != nil {
		t.Errorf("Target = %q, %v", got, err)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
