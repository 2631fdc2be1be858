package receivertest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lcwh/lcwh/pkg/edit"
	"github.com/lcwh/lcwh/pkg/payload"
	"github.com/lcwh/lcwh/pkg/payload/shape"
)

// Part 2: every documented variant of each action, generated from the
// schemas' typed view (package shape) walked along the fixture's body.
// Each variant is the fixture with changes:
//   - each optional field (x-lcwh-expected ones included) absent once, or
//     present once when the fixture lacks it;
//   - each other value of an enum, each other type of a union, each other
//     form of an object whose fields depend on a value (an event's type);
//   - unknown fields at every level (one variant, one change per object);
//   - non-ASCII text and emoji in every free-text string (one variant);
//   - documented maxima: arrays filled to their maxItems (10 rich message
//     elements), a long thread, texts at their maximum length.
// A variant the validator refuses is dropped: the suite sends only valid
// webhooks, so a refusal is the receiver's.

// Sizes of the documented maxima the schemas do not hold.
const (
	// A message's text: "Max. raw text size is 16 KB" (data structures, 3.4 to 3.6).
	maxTextBytes = 16 << 10
	// A thread's events: LiveChat documents no limit; a long chat has hundreds.
	longThread = 500
)

// nonASCII is appended to free-text strings, one sample after another.
var nonASCII = []string{"Zoë Ångström", "日本語のテキスト", "😀 👩🏽‍💻 🇵🇱", "Привет, мир", "مرحبا بالعالم", "ﬁ e\u0301 ß"}

// variants is part 2 for the chat steps and other actions, at most n
// deliveries (sampled with the seed when there are more).
func (s *suite) variants(steps, others []step, n int) ([]*testCase, int, error) {
	sch, err := shape.Load(s.opts.APIVersion)
	if err != nil {
		return nil, 0, err
	}
	// Chat webhooks go into a chat of their own, announced first; each
	// incoming_chat variant announces a chat of its own.
	chat := s.newChat()
	var out []*testCase
	seen := map[string]bool{}
	for _, st := range append(slices.Clone(steps), others...) {
		if seen[st.action] || (st.action == "incoming_chat" && !s.selected(st.action)) {
			continue
		}
		seen[st.action] = true
		a := sch.Action(st.action)
		if a == nil {
			continue
		}
		w := &walker{sch: sch, s: s}
		w.walk(st.src, a.Body, nil, false)
		w.wholeBody()
		for _, changes := range w.variants {
			c := &testCase{Part: Variants, Action: st.action, What: describe(changes), src: st.src, Changes: changes}
			switch {
			case st.action == "incoming_chat":
				c.ids = s.g.bind(s.newChat(), false)
			case isChat(st.src):
				c.ids = s.g.bind(chat, true)
			}
			if c.Body, err = s.body(c, changes); err != nil || !s.valid(c.Body) {
				continue
			}
			out = append(out, c)
		}
	}
	room := n
	if len(steps) > 0 {
		room-- // the incoming_chat that announces the chat
	}
	total := len(out)
	if len(out) > room {
		out = s.sample(out, max(room, 0))
	}
	left := total - len(out)
	if len(steps) > 0 && len(out) > 0 {
		announce := s.newCase(Variants, steps[0], s.g.bind(chat, false), "announces the variants' chat")
		out = append([]*testCase{announce}, out...)
	}
	return out, left, nil
}

func isChat(root *edit.Node) bool {
	found := false
	edit.EachID(root, func(r edit.Role, _ *edit.Node) { found = found || r == edit.ChatID })
	return found
}

func (s *suite) valid(body []byte) bool {
	doc, err := payload.Decode(body)
	if err != nil {
		return false
	}
	errs, err := s.v.Validate(doc, "")
	return err == nil && len(errs) == 0
}

// sample keeps n of the cases, drawn with the seed, in their order.
func (s *suite) sample(cs []*testCase, n int) []*testCase {
	idx := s.g.rng.Perm(len(cs))[:n]
	slices.Sort(idx)
	out := make([]*testCase, n)
	for i, j := range idx {
		out[i] = cs[j]
	}
	return out
}

// walker walks a body along its shape and collects the variants.
type walker struct {
	sch      *shape.Schema
	s        *suite
	variants [][]change
	unknown  []change // one unknown field per object
	text     []change // non-ASCII appended to each free-text string
}

func (w *walker) add(cs ...change) { w.variants = append(w.variants, cs) }

// wholeBody adds the variants made of one change per object or string.
func (w *walker) wholeBody() {
	if len(w.unknown) > 0 {
		w.add(w.unknown...)
	}
	if len(w.text) > 0 {
		w.add(w.text...)
	}
}

// walk visits node, of shape sh, at path. A discriminator (the field
// whose value picks an object's form) gets no enum variants: the forms do.
func (w *walker) walk(node *edit.Node, sh *shape.Shape, path []string, discriminator bool) {
	sh = w.sch.Resolve(sh)
	if sh == nil || len(path) > 12 {
		return
	}
	if sh.Kind == shape.Union {
		w.union(node, sh, path)
		return
	}
	switch node.Kind {
	case edit.Object:
		w.object(node, sh, path)
	case edit.Array:
		w.array(node, sh, path)
	case edit.String:
		w.str(node, sh, path)
	}
	if len(sh.Enum) > 1 && len(path) > 1 && !discriminator {
		cur := nodeValue(node)
		for _, v := range sh.Enum {
			if !sameValue(v, cur) {
				w.add(set(path, valueNode(v), fmt.Sprintf("%s = %s", dotted(path), jsonText(v))))
			}
		}
	}
}

// union walks node as the alternative of its type, and adds a variant
// with a value of each other alternative.
func (w *walker) union(node *edit.Node, sh *shape.Shape, path []string) {
	for _, alt := range sh.AnyOf {
		r := w.sch.Resolve(alt)
		if r != nil && kindFits(r.Kind, node.Kind) {
			w.walk(node, alt, path, false)
			continue
		}
		if v := w.value(alt, last(path), 0); v != nil && len(path) > 1 {
			w.add(set(path, v, fmt.Sprintf("%s as %s", dotted(path), article(r.Kind))))
		}
	}
}

func (w *walker) object(node *edit.Node, sh *shape.Shape, path []string) {
	current := matchingCase(sh, node)
	fields := sh.Fields
	if current != nil {
		fields = mergeFields(fields, w.caseFields(current))
	}
	deciding := map[string]bool{}
	for _, c := range sh.Cases {
		for _, m := range c.When {
			deciding[m.Field] = true
		}
	}
	for _, f := range fields {
		p := append(slices.Clone(path), f.Name)
		child := node.Get(f.Name)
		switch {
		case child != nil:
			w.walk(child, f.Shape, p, deciding[f.Name])
			if !f.Required || f.Expected {
				w.add(change{Path: edit.JoinPath(p), What: dotted(p) + " absent"})
			}
		case !f.Required || f.Expected:
			if v := w.value(f.Shape, f.Name, 0); v != nil {
				w.add(set(p, v, dotted(p)+" present"))
			}
		}
		if child != nil && child.Kind == edit.Array && f.Name == "events" && len(child.Elems) > 0 {
			w.add(w.longList(child, p, longThread, "events"))
		}
	}
	for _, c := range sh.Cases {
		if c != current {
			if alt := w.alternative(node, sh, current, c); alt != nil && len(path) > 0 {
				w.add(set(path, alt, fmt.Sprintf("%s with %s", dotted(path), caseName(c))))
			}
		}
	}
	if sh.Closed {
		return
	}
	key, value := "lcwh_test_unknown", edit.StringNode("a field LiveChat may add")
	if sh.Extra != nil { // an open map (Properties): a new key of its kind
		key, value = "lcwh_test", w.value(sh.Extra, "lcwh_test", 0)
		if value == nil {
			return
		}
	}
	if node.Get(key) == nil {
		w.unknown = append(w.unknown, set(append(slices.Clone(path), key), value, "unknown field "+dotted(append(slices.Clone(path), key))))
	}
}

// mergeFields is the fields of an object and of its form: a field both
// name is required when either requires it.
func mergeFields(base, more []*shape.Field) []*shape.Field {
	out := slices.Clone(base)
	for _, f := range more {
		i := slices.IndexFunc(out, func(g *shape.Field) bool { return g.Name == f.Name })
		switch {
		case i < 0:
			out = append(out, f)
		case f.Required && !out[i].Required:
			merged := *out[i]
			merged.Required = true
			out[i] = &merged
		}
	}
	return out
}

// caseFields returns the fields the shapes of a case add.
func (w *walker) caseFields(c *shape.Case) []*shape.Field {
	var out []*shape.Field
	for _, a := range c.Apply {
		if r := w.sch.Resolve(a); r != nil {
			out = append(out, r.Fields...)
		}
	}
	return out
}

// alternative returns node turned into the form of case to: the fields
// of its current form dropped, the deciding fields set, the fields the
// new form requires added; nil when that cannot be done.
func (w *walker) alternative(node *edit.Node, sh *shape.Shape, from, to *shape.Case) *edit.Node {
	alt := &edit.Node{Kind: edit.Object}
	own := map[string]bool{}
	if from != nil {
		for _, f := range w.caseFields(from) {
			if sh.Field(f.Name) == nil {
				own[f.Name] = true
			}
		}
	}
	for _, m := range node.Members {
		if !own[m.Key] {
			alt.Members = append(alt.Members, m)
		}
	}
	for _, m := range to.When {
		switch {
		case m.Absent:
			alt.Members = slices.DeleteFunc(alt.Members, func(x edit.Member) bool { return x.Key == m.Field })
		case len(m.Values) > 0:
			alt.Put(m.Field, valueNode(m.Values[0]))
		default:
			return nil // "any value but": nothing to pick
		}
	}
	for _, f := range w.caseFields(to) {
		if f.Required && alt.Get(f.Name) == nil {
			v := w.value(f.Shape, f.Name, 0)
			if v == nil {
				return nil
			}
			alt.Put(f.Name, v)
		}
	}
	return alt
}

func (w *walker) array(node *edit.Node, sh *shape.Shape, path []string) {
	if sh.Items != nil {
		walked := map[*shape.Case]bool{}
		for i, e := range node.Elems {
			// one element of each form: the others would repeat its variants
			it := w.sch.Resolve(sh.Items)
			var c *shape.Case
			if it != nil && e.Kind == edit.Object {
				c = matchingCase(it, e)
			}
			if walked[c] {
				continue
			}
			walked[c] = true
			w.walk(e, sh.Items, append(slices.Clone(path), strconv.Itoa(i)), false)
		}
	}
	if sh.MaxItems > len(node.Elems) && len(node.Elems) > 0 {
		w.add(w.longList(node, path, sh.MaxItems, "elements"))
	}
}

// longList fills an array to size by repeating its elements, each copy
// with an id of its own; the shrinker can make it shorter.
func (w *walker) longList(node *edit.Node, path []string, size int, noun string) change {
	var resize func(n int) change
	resize = func(n int) change {
		list := &edit.Node{Kind: edit.Array, Elems: make([]*edit.Node, n)}
		for i := range n {
			e := node.Elems[i%len(node.Elems)].Clone()
			if i >= len(node.Elems) && e.Get("id") != nil && e.Get("id").Kind == edit.String {
				e.Put("id", edit.StringNode(fmt.Sprintf("lcwh-copy-%d", i)))
			}
			list.Elems[i] = e
		}
		c := set(path, list, fmt.Sprintf("%s: %d %s", dotted(path), n, noun))
		c.Size, c.Resize = n, resize
		return c
	}
	return resize(size)
}

func (w *walker) str(node *edit.Node, sh *shape.Shape, path []string) {
	key := last(path)
	if len(sh.Enum) > 0 || sh.Format != "" || sh.Pattern != "" || idLike(key, path) || looksLikeAddress(node.Str) || len(path) < 2 {
		return
	}
	sample := nonASCII[len(w.text)%len(nonASCII)]
	w.text = append(w.text, set(path, edit.StringNode(node.Str+" · "+sample), "non-ASCII text in "+dotted(path)))
	limit, bytes := sh.MaxLength, false
	if limit < 0 && key == "text" && (slices.Contains(path, "event") || slices.Contains(path, "events")) {
		limit, bytes = maxTextBytes, true // documented in bytes: an emoji counts 4
	}
	if limit > size(node.Str, bytes) {
		var resize func(n int) change
		resize = func(n int) change {
			c := set(path, edit.StringNode(fill(node.Str, n, bytes)), fmt.Sprintf("%s: %d %s long", dotted(path), n, unit(bytes)))
			c.Size, c.Resize = n, resize
			return c
		}
		w.add(resize(limit))
	}
}

func size(s string, bytes bool) int {
	if bytes {
		return len(s)
	}
	return utf8.RuneCountInString(s)
}

func unit(bytes bool) string {
	if bytes {
		return "bytes"
	}
	return "characters"
}

// fill repeats s, with an emoji, up to n characters (or bytes).
func fill(s string, n int, bytes bool) string {
	var b strings.Builder
	count := 0
	for {
		for _, r := range s + " 😀 " {
			step := 1
			if bytes {
				step = utf8.RuneLen(r)
			}
			if count+step > n {
				return b.String()
			}
			b.WriteRune(r)
			count += step
		}
	}
}

// value synthesizes a value of shape sh for a field called name: its
// example, default or first enum value, else the simplest value of its
// kind (an object with its required fields); nil when none can be made.
func (w *walker) value(sh *shape.Shape, name string, depth int) *edit.Node {
	sh = w.sch.Resolve(sh)
	if sh == nil || depth > 8 {
		return nil
	}
	switch {
	case len(sh.Examples) > 0:
		if n, err := edit.Parse(sh.Examples[0]); err == nil {
			return n
		}
	case sh.Default != nil:
		if n, err := edit.Parse(sh.Default); err == nil {
			return n
		}
	case len(sh.Enum) > 0:
		return valueNode(sh.Enum[0])
	}
	switch sh.Kind {
	case shape.String, shape.Any:
		switch {
		case sh.Format == "date-time":
			return edit.StringNode("2025-09-16T09:47:00.000000Z")
		case sh.Pattern != "":
			return nil
		case strings.HasSuffix(name, "id"):
			return edit.StringNode(edit.NewID(w.s.g.rng))
		}
		return edit.StringNode("lcwh test " + strings.ReplaceAll(name, "_", " "))
	case shape.Integer, shape.Number:
		n := "1"
		if sh.Minimum != "" {
			n = sh.Minimum.String()
		}
		return &edit.Node{Kind: edit.Number, Num: n}
	case shape.Boolean:
		return &edit.Node{Kind: edit.Bool, Bool: true}
	case shape.Null:
		return &edit.Node{Kind: edit.Null}
	case shape.Union:
		for _, alt := range sh.AnyOf {
			if v := w.value(alt, name, depth+1); v != nil {
				return v
			}
		}
	case shape.Array:
		list := &edit.Node{Kind: edit.Array, Elems: []*edit.Node{}}
		if sh.Items != nil {
			if v := w.value(sh.Items, strings.TrimSuffix(name, "s"), depth+1); v != nil {
				list.Elems = append(list.Elems, v)
			}
		}
		return list
	case shape.Object:
		obj := &edit.Node{Kind: edit.Object, Members: []edit.Member{}}
		fields := sh.Fields
		if len(sh.Cases) > 0 {
			c := sh.Cases[0]
			for _, m := range c.When {
				if len(m.Values) > 0 {
					obj.Put(m.Field, valueNode(m.Values[0]))
				}
			}
			fields = append(slices.Clone(fields), w.caseFields(c)...)
		}
		for _, f := range fields {
			if f.Required && obj.Get(f.Name) == nil {
				v := w.value(f.Shape, f.Name, depth+1)
				if v == nil {
					return nil
				}
				obj.Put(f.Name, v)
			}
		}
		return obj
	}
	return nil
}

// matchingCase returns the case of sh that node is in, or nil.
func matchingCase(sh *shape.Shape, node *edit.Node) *shape.Case {
	for _, c := range sh.Cases {
		if caseHolds(c, node) {
			return c
		}
	}
	return nil
}

func caseHolds(c *shape.Case, node *edit.Node) bool {
	for _, m := range c.When {
		v := node.Get(m.Field)
		switch {
		case v == nil:
			if !m.Absent {
				return false
			}
		case m.Except != nil:
			if slices.ContainsFunc(m.Except, func(x any) bool { return sameValue(x, nodeValue(v)) }) {
				return false
			}
		case !slices.ContainsFunc(m.Values, func(x any) bool { return sameValue(x, nodeValue(v)) }):
			return false
		}
	}
	return true
}

// caseName says which form a case is: `type "file"`.
func caseName(c *shape.Case) string {
	var parts []string
	for _, m := range c.When {
		if len(m.Values) > 0 && !m.Absent {
			parts = append(parts, m.Field+" "+jsonText(m.Values[0]))
		}
	}
	return strings.Join(parts, ", ")
}

// nodeValue is a scalar node as shape's enums hold values.
func nodeValue(n *edit.Node) any {
	switch n.Kind {
	case edit.String:
		return n.Str
	case edit.Bool:
		return n.Bool
	case edit.Number:
		return json.Number(n.Num)
	case edit.Null:
		return nil
	}
	return struct{}{} // objects and arrays are in no enum
}

func sameValue(a, b any) bool {
	if x, ok := a.(json.Number); ok {
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		fx, _ := x.Float64()
		fy, _ := y.Float64()
		return fx == fy
	}
	return a == b
}

func valueNode(v any) *edit.Node {
	n, err := edit.Parse([]byte(jsonText(v)))
	if err != nil {
		return &edit.Node{Kind: edit.Null}
	}
	return n
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func kindFits(k shape.Kind, n edit.Kind) bool {
	switch k {
	case shape.String:
		return n == edit.String
	case shape.Integer, shape.Number:
		return n == edit.Number
	case shape.Boolean:
		return n == edit.Bool
	case shape.Null:
		return n == edit.Null
	case shape.Object:
		return n == edit.Object
	case shape.Array:
		return n == edit.Array
	}
	return true
}

func article(k shape.Kind) string {
	switch k {
	case shape.Object, shape.Array, shape.Integer:
		return "an " + k.String()
	}
	return "a " + k.String()
}

func set(path []string, value *edit.Node, what string) change {
	return change{Path: edit.JoinPath(path), Value: value, What: what}
}

// idLike tells the strings that name something (ids, URLs, emails) from
// free text.
func idLike(key string, path []string) bool {
	if _, err := strconv.Atoi(key); err == nil && len(path) > 1 {
		key = path[len(path)-2] // an element of user_ids is an id
	}
	return key == "id" || strings.HasSuffix(key, "_id") || strings.HasSuffix(key, "_ids") || strings.HasSuffix(key, "url") ||
		key == "email" || key == "webhook_id" || key == "secret_key" || key == "organization_id"
}

func looksLikeAddress(s string) bool {
	return strings.Contains(s, "://") || strings.Contains(s, "@") && !strings.Contains(s, " ")
}

func last(path []string) string {
	if len(path) == 0 {
		return ""
	}
	return path[len(path)-1]
}

// dotted is a path for people: payload.chat.thread.events.0.text.
func dotted(path []string) string { return strings.Join(path, ".") }
