package checkin

import (
	lru "container/list"
	"encoding/binary"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/frontdesk-policy/frontdesk/policy"
)

// WithDecisionCache keeps the last size decisions, dropping the least
// recently used, and answers a request decided before from memory, exactly
// (the package documentation says how). Reload starts an empty cache with
// the new policy, so no decision of the old one is given after the swap.
// Invalid requests are never cached; a cached answer is the caller's own
// copy, recorded like any other with Record.Cached set. CacheStats says how
// the cache serves. A size below 1 makes New fail.
func WithDecisionCache(size int) Option {
	return func(c *config) { c.cacheSize, c.cacheSet = size, true }
}

// CacheStats describe a decision cache (see WithDecisionCache).
type CacheStats struct {
	// Hits and Misses count valid requests answered from the cache, and
	// evaluated, since New; a decision whose evaluation failed counts as a miss.
	Hits, Misses uint64
	// Entries is how many decisions the cache holds now, at most Size.
	Entries, Size int
}

// CacheStats reports how the decision cache has served; the zero value
// without WithDecisionCache.
func (e *Engine) CacheStats() CacheStats {
	s := e.current.Load()
	if s == nil || s.cache == nil {
		return CacheStats{}
	}
	return CacheStats{Hits: e.counters.hits.Load(), Misses: e.counters.misses.Load(), Entries: s.cache.len(), Size: s.cache.size}
}

func checkCacheSize(c *config) error {
	if c.cacheSet && c.cacheSize < 1 {
		return fmt.Errorf("checkin: WithDecisionCache(%d): the size must be 1 or more; leave the option out for no cache", c.cacheSize)
	}
	return nil
}

// A decisionCache holds decisions of the policy it is served with, and
// names it, so that a decision is never cached under, or served from, a
// policy that did not make it.
type decisionCache struct {
	policy *policy.Policy
	// fullTime says where the policy reads more of at than its date; when
	// "", keys hold the date alone.
	fullTime string
	size     int

	mu      sync.Mutex
	order   *lru.List // of *cacheEntry, most recently used first
	entries map[string]*lru.Element
}

type cacheEntry struct {
	key      string
	decision Decision
}

func newDecisionCache(p *policy.Policy, size int) *decisionCache {
	return &decisionCache{
		policy:   p,
		fullTime: fullTimeReader(p),
		size:     size,
		order:    lru.New(),
		entries:  make(map[string]*lru.Element, min(size, 1024)),
	}
}

// key is req in a form two requests share only when the policy is given
// the same input for both: every field of the request in order, each string
// with its length, and at as the input gives it, cut to the date when that
// is all the policy reads. It is built by reflection so that a field added
// to Request is in the key without a word here.
func (c *decisionCache) key(req *Request) []byte {
	at := req.At.Format(time.RFC3339)
	if c.fullTime == "" {
		if date := []rune(at); len(date) >= 10 { // substring counts characters
			at = string(date[:10])
		}
	}
	b := appendKeyString(make([]byte, 0, 512), at)
	v := reflect.ValueOf(req).Elem()
	for i := range v.NumField() {
		if i == requestAt {
			continue
		}
		var ok bool
		if b, ok = appendKey(b, v.Field(i)); !ok {
			// A field of a kind appendKey does not know: OPA's text of the
			// whole input, which names every field, at uncut.
			return append([]byte{1}, req.inputValue().String()...)
		}
	}
	return b
}

// requestAt is the index of Request.At among its fields.
var requestAt = func() int {
	f, _ := reflect.TypeFor[Request]().FieldByName("At")
	return f.Index[0]
}()

// appendKey appends v to a key, or reports that its kind is not one a
// request holds today.
func appendKey(b []byte, v reflect.Value) ([]byte, bool) {
	switch v.Kind() {
	case reflect.String:
		return appendKeyString(b, v.String()), true
	case reflect.Bool:
		if v.Bool() {
			return append(b, 1), true
		}
		return append(b, 0), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(b, v.Int()), true
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, 0), true
		}
		return appendKey(append(b, 1), v.Elem())
	case reflect.Slice:
		b = binary.AppendUvarint(b, uint64(v.Len()))
		for i := range v.Len() {
			var ok bool
			if b, ok = appendKey(b, v.Index(i)); !ok {
				return b, false
			}
		}
		return b, true
	case reflect.Struct:
		if v.Type() == timeType {
			return b, false
		}
		for i := range v.NumField() {
			var ok bool
			if b, ok = appendKey(b, v.Field(i)); !ok {
				return b, false
			}
		}
		return b, true
	}
	return b, false
}

// appendKeyString appends s after its length, so that no two sequences of
// strings make the same key.
func appendKeyString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func (c *decisionCache) get(key []byte) (Decision, bool) {
	c.mu.Lock()
	el, ok := c.entries[string(key)]
	if !ok {
		c.mu.Unlock()
		return Decision{}, false
	}
	c.order.MoveToFront(el)
	d := el.Value.(*cacheEntry).decision // never changed once kept
	c.mu.Unlock()
	return d.clone(), true
}

// put keeps a copy of d, making room by dropping the least recently used.
func (c *decisionCache) put(key []byte, d Decision) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[string(key)]; ok { // decided twice at once: keep one
		c.order.MoveToFront(el)
		return
	}
	for c.order.Len() >= c.size {
		oldest := c.order.Back()
		delete(c.entries, oldest.Value.(*cacheEntry).key)
		c.order.Remove(oldest)
	}
	k := string(key)
	c.entries[k] = c.order.PushFront(&cacheEntry{key: k, decision: d.clone()})
}

func (c *decisionCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// clone copies every slice and map of d, so that what a caller does to an
// answer never reaches the cache, nor another caller.
func (d Decision) clone() Decision {
	d.Obligations = slices.Clone(d.Obligations)
	d.Notices = slices.Clone(d.Notices)
	d.Actions = maps.Clone(d.Actions)
	for a, ad := range d.Actions {
		ad.Reasons = slices.Clone(ad.Reasons)
		ad.Conditions = slices.Clone(ad.Conditions)
		ad.Remedies = slices.Clone(ad.Remedies)
		d.Actions[a] = ad
	}
	return d
}

// cacheCounters count the cache's hits and misses over the engine's life.
type cacheCounters struct{ hits, misses atomic.Uint64 }

// fullTimeReader finds a rule that a decision may evaluate and that reads
// more of at than the policy's date, substring(input.at, 0, 10), or could
// (reading the input whole, or by a computed key, or with substring or
// object.get made to mean another function), and says where; "" when there
// is none. The rules are those OPA's dependency graph, as the policy was
// compiled, reaches from the decision query and from every rule of the
// overlay package, which the default policy consults; each is read as
// written, since compiling rewrites a call's operands into variables. What
// it cannot follow reads at whole.
func fullTimeReader(p *policy.Policy) string {
	type place struct {
		file     string
		row, col int
	}
	written := map[place][]*ast.Rule{} // a rule and its else may share a line
	for _, m := range p.Modules(0) {
		for _, imp := range m.Imports {
			if where := readsMoreThanDate(imp.Path); where != "" {
				return where
			}
			if namesAllowedCall(ast.VarTerm(string(imp.Name()))) {
				return fmt.Sprintf("%s (%s), which stands for a built-in that may read at", imp.Location, imp)
			}
		}
		shadow := ""
		ast.WalkRules(m, func(r *ast.Rule) bool {
			if shadow == "" && namesAllowedCall(r.Head.Ref()[0]) {
				shadow = fmt.Sprintf("%s (%s), which stands for a built-in that may read at", r.Location, r.Head.Ref())
			}
			if r.Location != nil {
				at := place{r.Location.File, r.Location.Row, r.Location.Col}
				written[at] = append(written[at], r)
			}
			return false
		})
		if shadow != "" {
			return shadow
		}
	}
	reached := p.RulesReached(ast.MustParseRef(query))
	if len(reached) == 0 {
		return "the policy, which has no rule for " + query
	}
	reached = append(reached, p.RulesReached(ast.MustParseRef("data.overlay"))...)
	for _, r := range reached {
		if r.Location == nil {
			return "a rule made in compiling: " + r.Head.Ref().String()
		}
		as := written[place{r.Location.File, r.Location.Row, r.Location.Col}]
		if len(as) == 0 {
			return r.Location.String() + ", a rule made in compiling"
		}
		for _, w := range as {
			if where := readsMoreThanDate(w); where != "" {
				return where
			}
		}
	}
	return ""
}

// readsMoreThanDate finds in x, as written, a read of the input other than
// by a constant key, or of at other than as substring(input.at, 0, 10), and
// says where; "" when there is none.
func readsMoreThanDate(x any) string {
	where := ""
	var vis *ast.GenericVisitor
	// allowed walks a call's operands and reports true when it is one of
	// the two calls that read the input in a way allowed: the date of at,
	// and object.get of a constant key other than at.
	allowed := func(op ast.Ref, args []*ast.Term) bool {
		switch op.String() {
		case "substring":
			if len(args) < 3 || !isInputAt(args[0]) || !args[1].Equal(ast.InternedTerm(0)) || !args[2].Equal(ast.InternedTerm(10)) {
				return false
			}
		case "object.get":
			if len(args) < 2 || !isInput(args[0]) || !constantKeyNotAt(args[1]) {
				return false
			}
		default:
			return false
		}
		for _, a := range args[1:] {
			vis.Walk(a)
		}
		return true
	}
	vis = ast.NewGenericVisitor(func(node any) bool {
		if where != "" {
			return true
		}
		switch n := node.(type) {
		case *ast.Expr:
			for _, w := range n.With {
				if namesAllowedCall(w.Target) { // the replacement is given what the call is
					where = fmt.Sprintf("%s (%s)", w.Location, w)
					return true
				}
			}
			if n.IsCall() && allowed(n.Operator(), n.Operands()) {
				for _, w := range n.With {
					vis.Walk(w)
				}
				return true
			}
		case *ast.Term:
			switch v := n.Value.(type) {
			case ast.Call:
				if op, ok := v[0].Value.(ast.Ref); ok && allowed(op, v[1:]) {
					return true
				}
			case ast.Ref:
				if !v.HasPrefix(ast.InputRootRef) {
					vis.Walk(v[0])
				} else if key, ok := inputKey(v); !ok || key == "at" {
					where = fmt.Sprintf("%s (%s)", n.Location, n)
					return true
				}
				for _, t := range v[1:] {
					vis.Walk(t)
				}
				return true
			case ast.Var:
				if v.Equal(ast.InputRootDocument.Value) {
					where = fmt.Sprintf("%s (%s)", n.Location, n)
					return true
				}
			}
		}
		return false
	})
	vis.Walk(x)
	return where
}

// namesAllowedCall reports whether t, a call's operator, a with's target or
// a name a module gives, is or begins with substring or object, the names
// of the calls readsMoreThanDate allows: replaced by with, or defined by a
// module's own rule or import, which the module's calls then mean, the call
// may read all of at.
func namesAllowedCall(t *ast.Term) bool {
	if r, ok := t.Value.(ast.Ref); ok {
		t = r[0]
	}
	v, ok := t.Value.(ast.Var)
	return ok && (v == "substring" || v == "object")
}

// inputKey is the key a ref into the input reads first, when written out.
func inputKey(r ast.Ref) (string, bool) {
	if len(r) < 2 {
		return "", false
	}
	s, ok := r[1].Value.(ast.String)
	return string(s), ok
}

func isInput(t *ast.Term) bool {
	switch v := t.Value.(type) {
	case ast.Ref:
		return v.Equal(ast.InputRootRef)
	case ast.Var:
		return v.Equal(ast.InputRootDocument.Value)
	}
	return false
}

func isInputAt(t *ast.Term) bool {
	r, ok := t.Value.(ast.Ref)
	return ok && len(r) == 2 && r.HasPrefix(ast.InputRootRef) && r[1].Equal(ast.InternedTerm("at"))
}

// constantKeyNotAt reports whether object.get's key or path is written out
// and does not lead to at.
func constantKeyNotAt(t *ast.Term) bool {
	switch k := t.Value.(type) {
	case ast.String:
		return k != "at"
	case *ast.Array:
		if k.Len() == 0 {
			return false // the whole input
		}
		first, ok := k.Elem(0).Value.(ast.String)
		return ok && first != "at"
	}
	return false
}
