package edit

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/lcwh/lcwh/pkg/payload"
)

// Op is one change: a --set (Value != nil) or an --unset.
type Op struct {
	Path  string
	Value *string
}

// ParseSet reads a --set argument "path=value"; the value is JSON when it
// parses as JSON, else a string.
func ParseSet(arg string) (Op, error) {
	path, value, ok := strings.Cut(arg, "=")
	if !ok || path == "" {
		return Op{}, fmt.Errorf("--set %q: want path=value", arg)
	}
	if _, err := SplitPath(path); err != nil {
		return Op{}, fmt.Errorf("--set %q: %v", arg, err)
	}
	return Op{Path: path, Value: &value}, nil
}

// Unset returns the op of an --unset argument.
func Unset(path string) (Op, error) {
	if _, err := SplitPath(path); err != nil {
		return Op{}, fmt.Errorf("--unset %q: %v", path, err)
	}
	return Op{Path: path}, nil
}

// SetPath sets the value at a dotted path (see SplitPath), creating
// missing objects on the way, as --set does.
func (n *Node) SetPath(path string, v *Node) error {
	toks, err := SplitPath(path)
	if err != nil {
		return err
	}
	return set(n, toks, v)
}

// DeletePath removes the member or element at a dotted path, as --unset does.
func (n *Node) DeletePath(path string) error {
	toks, err := SplitPath(path)
	if err != nil {
		return err
	}
	return unset(n, toks)
}

// Apply runs the ops in order on the tree.
func Apply(root *Node, ops []Op) error {
	for _, op := range ops {
		var err error
		if op.Value != nil {
			err = root.SetPath(op.Path, fromJSON(*op.Value))
		} else {
			err = root.DeletePath(op.Path)
		}
		if err != nil {
			verb := "--unset"
			if op.Value != nil {
				verb = "--set"
			}
			return fmt.Errorf("%s %s: %w", verb, op.Path, err)
		}
	}
	return nil
}

// walk returns the parent of the last token, creating missing objects
// on the way when create is set.
func walk(root *Node, toks []string, create bool) (*Node, error) {
	cur := root
	for i, t := range toks[:len(toks)-1] {
		next, err := child(cur, t, toks[:i+1])
		if err != nil {
			return nil, err
		}
		if next == nil {
			if !create {
				return nil, fmt.Errorf("%s does not exist", strings.Join(toks[:i+1], "."))
			}
			next = &Node{Kind: Object, Members: []Member{}}
			if err := put(cur, t, next, toks[:i+1]); err != nil {
				return nil, err
			}
		}
		cur = next
	}
	return cur, nil
}

// child returns the member or element t of n, nil when absent.
func child(n *Node, t string, at []string) (*Node, error) {
	switch n.Kind {
	case Object:
		return n.Get(t), nil
	case Array:
		i, err := strconv.Atoi(t)
		if err != nil || i < 0 {
			return nil, fmt.Errorf("%s: %q is not an array index", strings.Join(at, "."), t)
		}
		if i >= len(n.Elems) {
			return nil, nil
		}
		return n.Elems[i], nil
	default:
		return nil, fmt.Errorf("%s is inside a %s, not an object or array", strings.Join(at, "."), kindName(n.Kind))
	}
}

func put(n *Node, t string, v *Node, at []string) error {
	switch n.Kind {
	case Object:
		n.Put(t, v)
		return nil
	case Array:
		i, err := strconv.Atoi(t)
		if err != nil || i < 0 || i > len(n.Elems) {
			return fmt.Errorf("%s: index %s out of range (the array has %d elements)", strings.Join(at, "."), t, len(n.Elems))
		}
		if i == len(n.Elems) {
			n.Elems = append(n.Elems, v)
		} else {
			n.Elems[i] = v
		}
		return nil
	default:
		return fmt.Errorf("%s is inside a %s, not an object or array", strings.Join(at, "."), kindName(n.Kind))
	}
}

func set(root *Node, toks []string, v *Node) error {
	parent, err := walk(root, toks, true)
	if err != nil {
		return err
	}
	return put(parent, toks[len(toks)-1], v, toks)
}

func unset(root *Node, toks []string) error {
	parent, err := walk(root, toks, false)
	if err != nil {
		return err
	}
	last := toks[len(toks)-1]
	if c, err := child(parent, last, toks); err != nil {
		return err
	} else if c == nil {
		return fmt.Errorf("%s does not exist", strings.Join(toks, "."))
	}
	if parent.Kind == Object {
		for i, m := range parent.Members {
			if m.Key == last {
				parent.Members = append(parent.Members[:i], parent.Members[i+1:]...)
				break
			}
		}
		return nil
	}
	i, _ := strconv.Atoi(last)
	parent.Elems = append(parent.Elems[:i], parent.Elems[i+1:]...)
	return nil
}

func kindName(k Kind) string {
	return [...]string{"null", "boolean", "number", "string", "object", "array"}[k]
}

// SetSecret returns raw with the value of every top-level secret_key (a
// name may occur twice; a recording redacted each) replaced by the string
// secret, every other byte kept. When raw has no secret_key, the body is
// re-encoded with the member added.
func SetSecret(raw []byte, secret string) ([]byte, error) {
	spans := payload.SecretSpans(raw)
	for _, sp := range spans {
		if _, err := payload.Parse(raw[sp[0]:sp[1]]); err != nil { // not a whole value
			spans = nil
			break
		}
	}
	if len(spans) > 0 {
		return payload.Splice(raw, spans, quote(secret)), nil
	}
	root, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	if root.Kind != Object {
		return nil, fmt.Errorf("a webhook must be a JSON object, got %s", kindName(root.Kind))
	}
	root.Put("secret_key", StringNode(secret))
	return root.Encode(), nil
}

func quote(s string) []byte {
	var b bytes.Buffer
	writeString(&b, s)
	return b.Bytes()
}

// Fresh gives the webhook new realistic ids and current timestamps, so an
// endpoint that de-duplicates sees a new delivery. Chat and thread ids
// (10 upper-case alphanumerics), event ids (<thread>_<n>) and customer ids
// (UUIDs) are replaced everywhere they appear in the body, consistently;
// timestamps are shifted together so the latest is now and their order and
// spacing are kept (the epoch, "nothing seen yet", stays).
func Fresh(root *Node, now time.Time, rng *rand.Rand) {
	ids := map[string]string{}
	threads := map[string]string{}
	collectIDs(root, ids, threads, rng)
	var latest time.Time
	root.EachString(func(s *Node) {
		if t, ok := timestamp(s.Str); ok && t.After(latest) {
			latest = t
		}
	})
	shift := now.UTC().Sub(latest)
	root.EachString(func(s *Node) {
		if n, ok := ids[s.Str]; ok {
			s.Str = n
			return
		}
		if th, num, ok := strings.Cut(s.Str, "_"); ok && threads[th] != "" && isDigits(num) {
			s.Str = threads[th] + "_" + num
			return
		}
		if t, ok := timestamp(s.Str); ok && !latest.IsZero() {
			s.Str = t.Add(shift).UTC().Format("2006-01-02T15:04:05.000000Z07:00")
		}
	})
}

// collectIDs picks a new id for each chat, thread and customer id of the body.
func collectIDs(root *Node, ids, threads map[string]string, rng *rand.Rand) {
	EachID(root, func(r Role, n *Node) {
		old := n.Str
		if old == "" || ids[old] != "" {
			return
		}
		switch r {
		case ChatID:
			ids[old] = NewID(rng)
		case ThreadID, OtherThreadID:
			ids[old] = NewID(rng)
			threads[old] = ids[old]
		case CustomerID:
			ids[old] = NewUUID(rng)
		}
	})
}

func strOf(n *Node) string {
	if n == nil || n.Kind != String {
		return ""
	}
	return n.Str
}

// EachString calls fn for every string value of the tree (not for keys).
func (n *Node) EachString(fn func(*Node)) {
	switch n.Kind {
	case String:
		fn(n)
	case Object:
		for _, m := range n.Members {
			m.Value.EachString(fn)
		}
	case Array:
		for _, e := range n.Elems {
			e.EachString(fn)
		}
	}
}

// timestamp reads an RFC 3339 time worth refreshing (after 2000: the
// epoch means "nothing seen" and must stay).
func timestamp(s string) (time.Time, bool) {
	if len(s) < 20 || s[4] != '-' || s[10] != 'T' {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() < 2000 {
		return time.Time{}, false
	}
	return t, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// NewID returns a chat or thread id as LiveChat makes them: 10 upper-case alphanumerics.
func NewID(rng *rand.Rand) string {
	b := make([]byte, 10)
	for i := range b {
		b[i] = upperAlnum[rng.IntN(len(upperAlnum))]
	}
	return string(b)
}

// NewUUID returns a random (version 4) UUID, as LiveChat gives customers.
func NewUUID(rng *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
