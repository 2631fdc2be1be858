// Package edit changes webhook bodies without editing files: --set, --unset
// and --fresh of `lcwh send`, and the secret swap of `lcwh replay`.
//
// Bodies are edited as an order-preserving tree, so an edited fixture keeps
// its key order and is re-encoded with two-space indentation (the layout of
// the fixtures); a body nobody asked to change is never re-encoded.
package edit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Kind is the JSON type of a Node.
type Kind int

// The kinds of JSON values.
const (
	Null Kind = iota
	Bool
	Number
	String
	Object
	Array
)

// Node is one JSON value that remembers the order of its object members.
type Node struct {
	Kind    Kind
	Str     string // String
	Num     string // Number, as written
	Bool    bool   // Bool
	Members []Member
	Elems   []*Node
}

// Member is one object member.
type Member struct {
	Key   string
	Value *Node
}

// Get returns the member key of an object node, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for _, m := range n.Members {
		if m.Key == key {
			return m.Value
		}
	}
	return nil
}

// Put sets member key, keeping its place when it exists, else appending it.
func (n *Node) Put(key string, v *Node) {
	for i := range n.Members {
		if n.Members[i].Key == key {
			n.Members[i].Value = v
			return
		}
	}
	n.Members = append(n.Members, Member{key, v})
}

// Clone returns a deep copy of the tree.
func (n *Node) Clone() *Node {
	c := *n
	if n.Members != nil {
		c.Members = make([]Member, len(n.Members))
		for i, m := range n.Members {
			c.Members[i] = Member{m.Key, m.Value.Clone()}
		}
	}
	if n.Elems != nil {
		c.Elems = make([]*Node, len(n.Elems))
		for i, e := range n.Elems {
			c.Elems[i] = e.Clone()
		}
	}
	return &c
}

// StringNode returns a string node.
func StringNode(s string) *Node { return &Node{Kind: String, Str: s} }

// Parse decodes one JSON value (numbers kept as written).
func Parse(raw []byte) (*Node, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	n, err := parse(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("more than one JSON value")
	}
	return n, nil
}

func parse(dec *json.Decoder) (*Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			n := &Node{Kind: Object, Members: []Member{}}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := parse(dec)
				if err != nil {
					return nil, err
				}
				n.Members = append(n.Members, Member{k.(string), v})
			}
			_, err := dec.Token()
			return n, err
		}
		n := &Node{Kind: Array, Elems: []*Node{}}
		for dec.More() {
			v, err := parse(dec)
			if err != nil {
				return nil, err
			}
			n.Elems = append(n.Elems, v)
		}
		_, err := dec.Token()
		return n, err
	case string:
		return &Node{Kind: String, Str: t}, nil
	case json.Number:
		return &Node{Kind: Number, Num: t.String()}, nil
	case bool:
		return &Node{Kind: Bool, Bool: t}, nil
	default:
		return &Node{Kind: Null}, nil
	}
}

// Encode writes the tree with two-space indentation and a final newline,
// HTML characters unescaped: the layout of the fixtures.
func (n *Node) Encode() []byte {
	var b bytes.Buffer
	n.encode(&b, 0)
	b.WriteByte('\n')
	return b.Bytes()
}

func (n *Node) encode(b *bytes.Buffer, depth int) {
	switch n.Kind {
	case Null:
		b.WriteString("null")
	case Bool:
		b.WriteString(strconv.FormatBool(n.Bool))
	case Number:
		b.WriteString(n.Num)
	case String:
		writeString(b, n.Str)
	case Object:
		if len(n.Members) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, m := range n.Members {
			indent(b, depth+1)
			writeString(b, m.Key)
			b.WriteString(": ")
			m.Value.encode(b, depth+1)
			if i < len(n.Members)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		indent(b, depth)
		b.WriteByte('}')
	case Array:
		if len(n.Elems) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, e := range n.Elems {
			indent(b, depth+1)
			e.encode(b, depth+1)
			if i < len(n.Elems)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		indent(b, depth)
		b.WriteByte(']')
	}
}

func indent(b *bytes.Buffer, depth int) {
	for range depth {
		b.WriteString("  ")
	}
}

func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	b.Truncate(b.Len() - 1)
}

// fromJSON turns a --set value into a node: JSON when it parses as JSON,
// else the text as a string.
func fromJSON(text string) *Node {
	if n, err := Parse([]byte(text)); err == nil {
		return n
	}
	return StringNode(text)
}

// JoinPath is the inverse of SplitPath: the tokens joined by dots, with
// dots and backslashes in them escaped.
func JoinPath(toks []string) string {
	esc := make([]string, len(toks))
	for i, t := range toks {
		esc[i] = pathEscaper.Replace(t)
	}
	return strings.Join(esc, ".")
}

var pathEscaper = strings.NewReplacer(`\`, `\\`, ".", `\.`)

// SplitPath splits a dotted path ("payload.chat.thread.events.0.text").
// A key containing a dot is written with a backslash: "a\.b".
func SplitPath(path string) ([]string, error) {
	if path == "" {
		return nil, errors.New("empty path")
	}
	var toks []string
	var cur strings.Builder
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '\\' && i+1 < len(path):
			i++
			cur.WriteByte(path[i])
		case c == '.':
			toks = append(toks, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	toks = append(toks, cur.String())
	for _, t := range toks {
		if t == "" {
			return nil, fmt.Errorf("path %q has an empty segment", path)
		}
	}
	return toks, nil
}
