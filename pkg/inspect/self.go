package inspect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// A replay into the inspector's own address would replay into itself
// (with a page's headers, again and again). Replays are checked where it
// cannot be dodged: when the connection is opened, with the address the
// name resolved to, so 127.0.0.1, localhost, [::1], 0.0.0.0, a host name
// or a DNS answer that changes all count. The listener is a fair target
// (it never replays: no loop), and so is any other port.

// errSelf is why a replay was refused.
var errSelf = errors.New("replays may not target the web inspector itself")

// selfKey carries, in a replay's context, the address the inspector was
// reached at (http.LocalAddrContextKey of the request asking for it).
type selfKey struct{}

// dialer opens replay connections, refusing the inspector's own address.
var dialer = &net.Dialer{
	Timeout:   30 * time.Second,
	KeepAlive: 30 * time.Second,
	ControlContext: func(ctx context.Context, network, address string, _ syscall.RawConn) error {
		self, _ := ctx.Value(selfKey{}).(net.Addr)
		if isSelf(self, address) {
			return fmt.Errorf("%w (%s)", errSelf, address)
		}
		return nil
	},
}

// withSelf returns ctx carrying the inspector address r came in on.
func withSelf(ctx context.Context, r *http.Request) context.Context {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		return context.WithValue(ctx, selfKey{}, a)
	}
	return ctx
}

// isSelf tells whether a connection to address (ip:port, resolved) would
// reach self: the same port on an address of this machine.
func isSelf(self net.Addr, address string) bool {
	if self == nil {
		return false
	}
	s, err := netip.ParseAddrPort(self.String())
	if err != nil {
		return false
	}
	t, err := netip.ParseAddrPort(address)
	if err != nil || t.Port() != s.Port() {
		return false
	}
	ip := t.Addr().Unmap()
	if ip.IsLoopback() || ip.IsUnspecified() || ip == s.Addr().Unmap() {
		return true
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if p, err := netip.ParsePrefix(a.String()); err == nil && p.Addr().Unmap() == ip {
			return true
		}
	}
	return false
}
