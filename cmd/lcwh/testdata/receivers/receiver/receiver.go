// Package receiver is a correct LiveChat webhook receiver, small enough to
// read: it checks secret_key in constant time, answers 200 to a copy of a
// webhook it already handled without handling it twice, accepts a chat's
// webhooks in any order (a webhook of a chat it has not seen yet opens
// the chat), and answers at once. The programs beside it plant one flaw
// each, for `lcwh test` to find.
package receiver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
)

// Webhook is what a handler reads of a delivery.
type Webhook struct {
	WebhookID string          `json:"webhook_id"`
	Action    string          `json:"action"`
	SecretKey *string         `json:"secret_key"`
	Payload   json.RawMessage `json:"payload"`
	Body      []byte          `json:"-"`
}

// ChatID returns the id of the chat the webhook is about, if any.
func (h Webhook) ChatID() string {
	var p struct {
		ChatID     string              `json:"chat_id"`
		Chat       struct{ ID string } `json:"chat"`
		ActiveChat struct {
			ChatID string `json:"chat_id"`
		} `json:"active_chat"`
		ID string `json:"id"`
	}
	_ = json.Unmarshal(h.Payload, &p)
	switch {
	case p.Chat.ID != "":
		return p.Chat.ID
	case p.ChatID != "":
		return p.ChatID
	case p.ActiveChat.ChatID != "":
		return p.ActiveChat.ChatID
	case h.Action == "chat_access_updated":
		return p.ID
	}
	return ""
}

// Chat is what the receiver knows of a chat.
type Chat struct {
	Announced bool // its incoming_chat arrived
	Active    bool
	Webhooks  int
}

// Receiver handles webhooks. Flaw and SecretOK plant the flaws.
type Receiver struct {
	Secret string
	// SecretOK decides whether a webhook's secret_key is right; nil: it
	// must equal Secret (compared in constant time).
	SecretOK func(key *string, secret string) bool
	// Flaw handles a webhook with a good secret first; a status other
	// than 0 is the answer, with the message.
	Flaw func(ctx context.Context, h Webhook, r *Receiver) (status int, msg string)

	mu    sync.Mutex
	seen  map[[32]byte]bool
	chats map[string]*Chat
}

// Chat returns what the receiver knows of a chat (nil: nothing).
func (rc *Receiver) Chat(id string) *Chat {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.chats[id]
}

func (rc *Receiver) secretOK(key *string) bool {
	if rc.SecretOK != nil {
		return rc.SecretOK(key, rc.Secret)
	}
	return key != nil && subtle.ConstantTimeCompare([]byte(*key), []byte(rc.Secret)) == 1
}

func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST webhooks here", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	var h Webhook
	if err := json.Unmarshal(body, &h); err != nil {
		http.Error(w, "malformed JSON: "+err.Error(), http.StatusBadRequest)
		return
	}
	h.Body = body
	if !rc.secretOK(h.SecretKey) {
		http.Error(w, "wrong secret_key", http.StatusUnauthorized)
		return
	}
	if rc.Flaw != nil {
		if status, msg := rc.Flaw(r.Context(), h, rc); status != 0 {
			http.Error(w, msg, status)
			return
		}
	}
	rc.handle(h)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"ok":true}`)
}

// handle applies a webhook once: a copy is answered but not applied again.
func (rc *Receiver) handle(h Webhook) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.seen == nil {
		rc.seen, rc.chats = map[[32]byte]bool{}, map[string]*Chat{}
	}
	k := sha256.Sum256(h.Body)
	if rc.seen[k] {
		return
	}
	rc.seen[k] = true
	id := h.ChatID()
	if id == "" {
		return
	}
	c := rc.chats[id]
	if c == nil {
		c = &Chat{Active: true} // known from a webhook that overtook its incoming_chat
		rc.chats[id] = c
	}
	c.Webhooks++
	switch h.Action {
	case "incoming_chat":
		c.Announced, c.Active = true, true
	case "chat_deactivated":
		c.Active = false
	}
}

// Main serves rc on -addr (a free loopback port by default) and prints
// its URL on the first line of stdout. -secret (or $RECEIVER_SECRET) is
// the secret; -log FILE appends one line per request: its action and the
// SHA-256 of its body.
func Main(rc *Receiver) {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	secret := flag.String("secret", os.Getenv("RECEIVER_SECRET"), "secret_key")
	logFile := flag.String("log", "", "append a line per request to FILE")
	flag.Parse()
	rc.Secret = *secret
	var handler http.Handler = rc
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			log.Fatal(err)
		}
		var mu sync.Mutex
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			var h Webhook
			_ = json.Unmarshal(body, &h)
			mu.Lock()
			fmt.Fprintf(f, "%s %x\n", h.Action, sha256.Sum256(body))
			mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
			rc.ServeHTTP(w, r)
		})
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("http://%s/webhooks\n", ln.Addr())
	log.Fatal(http.Serve(ln, handler))
}
