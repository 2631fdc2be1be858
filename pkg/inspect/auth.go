package inspect

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// The inspector shows bodies and replays them with their secrets, so it
// answers only whoever holds its token, as Jupyter does: `lcwh listen`
// prints the inspector's URL with ?token=; opening it sets an HttpOnly,
// SameSite=Strict cookie and redirects to the clean URL (so the token
// leaves the address bar and the history). Scripts send the token as
// "Authorization: Bearer TOKEN". Anything else gets 403.

// MinTokenLen is the shortest token Config.Token may hold.
const MinTokenLen = 16

// NewToken returns a random token (128 bits from crypto/rand).
func NewToken() string { return rand.Text() }

// CheckToken tells why a fixed token cannot be used: too short to resist
// guessing, or holding characters a URL or a cookie would mangle.
func CheckToken(tok string) error {
	if len(tok) < MinTokenLen {
		return fmt.Errorf("the inspector token must be at least %d characters", MinTokenLen)
	}
	for _, c := range tok {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~", c)) {
			return errors.New("the inspector token may hold only letters, digits and - . _ ~")
		}
	}
	return nil
}

// Token is the token the page and the API need.
func (in *Inspector) Token() string { return in.cfg.Token }

// URL is base (http://host:port) with the path that logs a browser in.
func (in *Inspector) URL(base string) string {
	return strings.TrimSuffix(base, "/") + "/?token=" + in.cfg.Token
}

// tokenOK compares in constant time (hashes make the lengths equal).
func (in *Inspector) tokenOK(s string) bool {
	h := sha256.Sum256([]byte(s))
	return subtle.ConstantTimeCompare(h[:], in.tokenHash[:]) == 1
}

// cookieName is per port: browsers share cookies between the ports of a
// host, and two inspectors must not log each other out.
func cookieName(host string) string {
	_, port, err := net.SplitHostPort(host)
	if err != nil || port == "" {
		port = "80"
	}
	return "lcwh_inspector_" + port
}

// authorized tells whether r carries the token, in the cookie or as a
// bearer token.
func (in *Inspector) authorized(r *http.Request) bool {
	if c, err := r.Cookie(cookieName(r.Host)); err == nil && in.tokenOK(c.Value) {
		return true
	}
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && in.tokenOK(strings.TrimSpace(tok))
}

// login handles a GET with ?token=: a right token sets the cookie and
// redirects to the same URL without it. It reports whether it answered.
func (in *Inspector) login(w http.ResponseWriter, r *http.Request) bool {
	q := r.URL.Query()
	if !q.Has("token") || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	if !in.tokenOK(q.Get("token")) {
		http.Error(w, "lcwh inspector: wrong token (open the URL lcwh listen printed last)", http.StatusForbidden)
		return true
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName(r.Host), Value: in.cfg.Token, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteStrictMode,
	})
	q.Del("token")
	clean := "/" + strings.TrimLeft(r.URL.Path, "/") // never //host: a redirect off the inspector
	if len(q) > 0 {
		clean += "?" + q.Encode()
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, clean, http.StatusSeeOther)
	return true
}

// denied is what a request without the token gets.
const denied = "lcwh inspector: open the URL that lcwh listen printed (it carries the token), " +
	"or send the token as \"Authorization: Bearer TOKEN\"\n"
