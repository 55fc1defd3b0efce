package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"
)

// A Source is one layer of a policy: Rego modules and data documents in a
// file tree laid out as an OPA bundle. Later sources are applied over earlier ones.
type Source struct {
	// Name prefixes the paths of the source's files in problems and test
	// results; for a folder, the folder's path. It only labels the layer:
	// layers are told apart by their position, so two layers of one name
	// never share a file.
	Name string
	FS   fs.FS
}

// Dir is the Source for a folder on disk.
func Dir(dir string) Source {
	return Source{Name: path.Clean(strings.ReplaceAll(dir, `\`, "/")), FS: os.DirFS(dir)}
}

// A Document is a data document read from a source file.
type Document struct {
	File   string   // the file it came from, prefixed with its source's name
	Path   []string // where it sits under data, from the file's folder
	Value  any      // the document as its file holds it
	Layer  int      // the position of its source: 0 for the first
	Source string   // its source, as its files are named: the name, with its position where names clash
	// Before is what the earlier documents had put at Path when this one was
	// applied, or nil if nothing.
	Before any
}

// Bounds limit what a layer after the first may hold: an overlay extends a
// policy at the points the policy offers, and nowhere else.
type Bounds struct {
	// Packages are the only packages a layer's Rego modules may declare,
	// and TestPackages those of its *_test.rego files.
	Packages, TestPackages []string
	// Data are patterns of the only paths a data.json file may have, and
	// Files those of the other files a layer may hold besides Rego. A
	// pattern is matched as path.Match does, segment by segment; a "**"
	// segment matches any number of segments.
	Data, Files []string
	// MaxEntries bounds the files and folders a layer may hold, MaxFileBytes
	// the size of each file, and MaxBytes the size of all of them.
	MaxEntries             int
	MaxFileBytes, MaxBytes int64
}

// maxLinkHops bounds how many symbolic links one file may go through.
const maxLinkHops = 8

// sources is what a set of layers holds once read and parsed.
type sources struct {
	modules   map[string]*ast.Module // policy modules, by file
	layerOf   map[string]int         // each file's layer, by file
	tests     map[string]*ast.Module // *_test.rego modules, by file
	documents []Document             // in layer order
	files     map[string][]byte      // every file read, for extensions that need them
	byLayer   []fstest.MapFS         // the same, by layer and path inside it
	revision  string
}

// readSources reads every layer. As in an OPA bundle, a data document lives
// in a file named data.json, at the path of its folder; files of other kinds
// are left for the caller to use or ignore. Layers after the first are held
// to bounds, if there are any.
func readSources(layers []Source, bounds *Bounds) (*sources, error) {
	s := &sources{
		modules: map[string]*ast.Module{},
		tests:   map[string]*ast.Module{},
		layerOf: map[string]int{},
		files:   map[string][]byte{},
	}
	hash := sha256.New()
	var problems []Problem
	prefixes := layerPrefixes(layers)
	for n, layer := range layers {
		s.byLayer = append(s.byLayer, fstest.MapFS{})
		r := layerReader{layer: layer, prefix: prefixes[n]}
		if n > 0 {
			r.bounds = bounds
		}
		names, walkProblems := r.walk()
		problems = append(problems, walkProblems...)
		first := len(s.documents)
		for _, name := range names {
			file := path.Join(r.prefix, name)
			bs, problem := r.read(name)
			if problem != nil {
				problems = append(problems, *problem)
				continue
			}
			fmt.Fprintf(hash, "%d\x00%s\x00", n, file)
			hash.Write(bs)
			hash.Write([]byte{0})
			s.files[file] = bs
			s.byLayer[n][name] = &fstest.MapFile{Data: bs}
			s.layerOf[file] = n
			problems = append(problems, s.add(n, r.prefix, file, name, bs, r.bounds)...)
		}
		// Within a layer, a folder's document comes before those of its
		// subfolders, so that they merge into it rather than vanish under it.
		layerDocs := s.documents[first:]
		sort.SliceStable(layerDocs, func(i, j int) bool { return len(layerDocs[i].Path) < len(layerDocs[j].Path) })
	}
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	s.revision = hex.EncodeToString(hash.Sum(nil))[:16]
	return s, nil
}

// layerPrefixes gives each layer the prefix of its files' paths: its name,
// unless that name is empty or would put its files at the paths of an
// earlier layer's (the same name, or one folder inside the other), when the
// layer's position is added to it.
func layerPrefixes(layers []Source) []string {
	prefixes := make([]string, len(layers))
	for n, layer := range layers {
		name := path.Clean(layer.Name)
		clash := name == "." || name == "/"
		for _, earlier := range prefixes[:n] {
			if name == earlier || strings.HasPrefix(name, earlier+"/") || strings.HasPrefix(earlier, name+"/") {
				clash = true
			}
		}
		if clash {
			name = fmt.Sprintf("%s[%d]", strings.TrimSuffix(name, "/"), n)
		}
		prefixes[n] = name
	}
	return prefixes
}

// A layerReader reads the files of one layer, within its bounds if it has any.
type layerReader struct {
	layer  Source
	prefix string
	bounds *Bounds
	total  int64
}

func (r *layerReader) problem(name, code, format string, args ...any) Problem {
	return Problem{File: path.Join(r.prefix, name), Code: code, Message: fmt.Sprintf(format, args...)}
}

// walk lists the layer's files in order, leaving out hidden folders (and,
// in a bounded layer, hidden files), and reports every file a bounded
// layer may not hold.
func (r *layerReader) walk() ([]string, []Problem) {
	var names []string
	var problems []Problem
	entries := 0
	err := fs.WalkDir(r.layer.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name == "." {
			return nil
		}
		hidden := strings.HasPrefix(d.Name(), ".")
		if d.IsDir() {
			if hidden {
				return fs.SkipDir
			}
		} else if hidden && r.bounds != nil {
			return nil
		}
		entries++
		if r.bounds != nil && r.bounds.MaxEntries > 0 && entries > r.bounds.MaxEntries {
			problems = append(problems, r.problem("", "policy_limit_error",
				"holds more than %d files and folders; an overlay is kept small enough to review", r.bounds.MaxEntries))
			return fs.SkipAll
		}
		if d.IsDir() {
			return nil
		}
		if r.bounds != nil {
			if p := r.allowed(name); p != nil {
				problems = append(problems, *p)
				return nil
			}
		}
		names = append(names, name)
		return nil
	})
	if err != nil {
		problems = append(problems, r.problem("", "policy_read_error", "%v", err))
	}
	sort.Strings(names)
	return names, problems
}

// allowed reports a file a bounded layer may not hold.
func (r *layerReader) allowed(name string) *Problem {
	base := path.Base(name)
	switch {
	case strings.HasSuffix(base, ".rego"):
		return nil
	case base == "data.json" && matchAny(r.bounds.Data, name):
		return nil
	case base != "data.json" && matchAny(r.bounds.Files, name):
		return nil
	case isDataFile(base):
		p := r.problem(name, "policy_file_error", "an overlay's data may only be at %s",
			strings.Join(r.bounds.Data, ", "))
		return &p
	}
	allowed := append([]string{"*.rego", "the data files"}, r.bounds.Files...)
	p := r.problem(name, "policy_file_error", "is not a file an overlay may hold (%s)", strings.Join(allowed, ", "))
	return &p
}

// isDataFile tells the files OPA would read as data, and their look-alikes.
func isDataFile(base string) bool {
	ext := path.Ext(base)
	return base == "data.json" || ext == ".json" || ext == ".yaml" || ext == ".yml"
}

func matchAny(patterns []string, name string) bool {
	segments := strings.Split(name, "/")
	return slices.ContainsFunc(patterns, func(p string) bool { return match(strings.Split(p, "/"), segments) })
}

func match(pattern, name []string) bool {
	if len(pattern) == 0 {
		return len(name) == 0
	}
	if pattern[0] == "**" {
		for i := 0; i <= len(name); i++ {
			if match(pattern[1:], name[i:]) {
				return true
			}
		}
		return false
	}
	if len(name) == 0 {
		return false
	}
	ok, err := path.Match(pattern[0], name[0])
	return ok && err == nil && match(pattern[1:], name[1:])
}

// read reads one file, refusing a symbolic link that leads out of the layer
// and, in a bounded layer, a file or a layer over its size limit.
func (r *layerReader) read(name string) ([]byte, *Problem) {
	fail := func(code, format string, args ...any) ([]byte, *Problem) {
		p := r.problem(name, code, format, args...)
		return nil, &p
	}
	target, err := resolve(r.layer.FS, name)
	if err != nil {
		return fail("policy_link_error", "%v", err)
	}
	f, err := r.layer.FS.Open(target)
	if err != nil {
		return fail("policy_read_error", "%v", err)
	}
	defer f.Close()
	limit := int64(-1)
	if r.bounds != nil && r.bounds.MaxFileBytes > 0 {
		limit = r.bounds.MaxFileBytes
	}
	var reader io.Reader = f
	if limit >= 0 {
		reader = io.LimitReader(f, limit+1)
	}
	bs, err := io.ReadAll(reader)
	if err != nil {
		return fail("policy_read_error", "%v", err)
	}
	if limit >= 0 && int64(len(bs)) > limit {
		return fail("policy_limit_error", "is larger than %d bytes, the limit for one file of an overlay", limit)
	}
	r.total += int64(len(bs))
	if r.bounds != nil && r.bounds.MaxBytes > 0 && r.total > r.bounds.MaxBytes {
		return fail("policy_limit_error", "brings the overlay over %d bytes, the limit for all of its files",
			r.bounds.MaxBytes)
	}
	return bs, nil
}

// resolve follows name through any symbolic links to the file it reads,
// which must be a regular file inside the layer, reached through no linked
// folder.
func resolve(fsys fs.FS, name string) (string, error) {
	for range maxLinkHops {
		info, err := fs.Lstat(fsys, name)
		if errors.Is(err, errors.ErrUnsupported) {
			return name, nil // a file system without links, such as an embedded one
		}
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			if !info.Mode().IsRegular() {
				return "", fmt.Errorf("is not a regular file")
			}
			return name, nil
		}
		target, err := fs.ReadLink(fsys, name)
		if err != nil {
			return "", fmt.Errorf("is a link that cannot be followed: %w", err)
		}
		next := path.Join(path.Dir(name), filepath.ToSlash(target))
		if path.IsAbs(target) || filepath.IsAbs(target) || !fs.ValidPath(next) {
			return "", fmt.Errorf("is a link to %s, outside the folder", target)
		}
		parts := strings.Split(next, "/")
		for i := 1; i < len(parts); i++ {
			dir := strings.Join(parts[:i], "/")
			if info, err := fs.Lstat(fsys, dir); err == nil && info.Mode()&fs.ModeSymlink != 0 {
				return "", fmt.Errorf("is a link to %s, through the linked folder %s", target, dir)
			}
		}
		name = next
	}
	return "", fmt.Errorf("goes through more than %d links", maxLinkHops)
}

func (s *sources) add(layer int, source, file, name string, bs []byte, bounds *Bounds) []Problem {
	base := path.Base(name)
	switch {
	case strings.HasSuffix(base, ".rego"):
		m, err := ast.ParseModuleWithOpts(file, string(bs), ast.ParserOptions{
			ProcessAnnotation: true,
			RegoVersion:       ast.RegoV1,
		})
		if err != nil {
			return problemsOf(err, file)
		}
		test := strings.HasSuffix(base, "_test.rego")
		if bounds != nil {
			if p := packageProblem(m, file, test, bounds); p != nil {
				return []Problem{*p}
			}
		}
		if test {
			s.tests[file] = m
		} else {
			s.modules[file] = m
		}
	case base == "data.json":
		v, err := decodeJSON(bs)
		if err != nil {
			return []Problem{jsonProblem(file, err)}
		}
		dir := path.Dir(name)
		var at []string
		if dir != "." {
			at = strings.Split(dir, "/")
		}
		s.documents = append(s.documents, Document{File: file, Path: at, Value: v, Layer: layer, Source: source})
	case bounds != nil && path.Ext(base) == ".json":
		// Not data, but read by the caller: held to the same strict JSON.
		if _, err := decodeJSON(bs); err != nil {
			return []Problem{jsonProblem(file, err)}
		}
	case base == "data.yaml" || base == "data.yml":
		return []Problem{{File: file, Code: "policy_data_error", Message: "data is JSON, in a file named data.json"}}
	}
	return nil
}

func jsonProblem(file string, err error) Problem {
	p := Problem{File: file, Code: "policy_data_error", Message: err.Error()}
	var jerr *jsonError
	if errors.As(err, &jerr) {
		p.Line, p.Message = jerr.line, jerr.msg
	}
	return p
}

// packageProblem reports a module of a bounded layer outside its packages.
func packageProblem(m *ast.Module, file string, test bool, bounds *Bounds) *Problem {
	pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
	allowed, what := bounds.Packages, "its Rego"
	if test {
		allowed, what = bounds.TestPackages, "its Rego tests"
	}
	if slices.Contains(allowed, pkg) {
		return nil
	}
	return &Problem{
		File: file, Line: m.Package.Location.Row, Code: "policy_package_error",
		Message: fmt.Sprintf("package %s: an overlay writes %s in package %s", pkg, what, strings.Join(allowed, " or ")),
	}
}

// A Merge says that a later layer's document at Path (a pattern, as in
// Bounds) amends an earlier one's rather than replacing it: objects merge key
// by key down to Depth levels, and below that a key's value replaces the
// earlier one whole.
type Merge struct {
	Path  string
	Depth int
}

// data merges the documents into one tree. A document replaces whatever an
// earlier layer put at its path, unless a merge rule has it amend it.
func (s *sources) data(merges []Merge) (map[string]any, []Problem) {
	root := map[string]any{}
	var problems []Problem
	for i := range s.documents {
		doc := &s.documents[i]
		if len(doc.Path) == 0 {
			obj, ok := doc.Value.(map[string]any)
			if !ok {
				problems = append(problems, Problem{File: doc.File, Code: "policy_data_error",
					Message: "a data file at the root must hold an object"})
				continue
			}
			for k, v := range obj {
				root[k] = v
			}
			continue
		}
		node := root
		for _, key := range doc.Path[:len(doc.Path)-1] {
			next, ok := node[key].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[key] = next
			}
			node = next
		}
		key := doc.Path[len(doc.Path)-1]
		doc.Before = node[key]
		depth := 0
		for _, m := range merges {
			if match(strings.Split(m.Path, "/"), doc.Path) {
				depth = m.Depth
			}
		}
		node[key] = merge(doc.Before, doc.Value, depth)
	}
	return root, problems
}

// merge lays over on base, key by key down to depth levels of objects,
// without changing either.
func merge(base, over any, depth int) any {
	b, ok1 := base.(map[string]any)
	o, ok2 := over.(map[string]any)
	if depth <= 0 || !ok1 || !ok2 {
		return over
	}
	out := make(map[string]any, len(b)+len(o))
	for k, v := range b {
		out[k] = v
	}
	for k, v := range o {
		out[k] = merge(b[k], v, depth-1)
	}
	return out
}

func (s *sources) layerModules(first int) []*ast.Module {
	var files []string
	for file := range s.modules {
		if s.layerOf[file] >= first {
			files = append(files, file)
		}
	}
	slices.Sort(files)
	out := make([]*ast.Module, len(files))
	for i, file := range files {
		out[i] = s.modules[file]
	}
	return out
}

// conflicts finds rules a layer adds to a package an earlier layer defines,
// outside the open packages, and rules of one value (complete rules and
// functions) that two layers both define.
func (s *sources) conflicts(open []string) []Problem {
	files := make([]string, 0, len(s.modules))
	for f := range s.modules {
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool {
		if s.layerOf[files[i]] != s.layerOf[files[j]] {
			return s.layerOf[files[i]] < s.layerOf[files[j]]
		}
		return files[i] < files[j]
	})
	isOpen := func(pkg string) bool {
		for _, o := range open {
			if pkg == o || strings.HasPrefix(pkg, o+".") {
				return true
			}
		}
		return false
	}
	type place struct {
		layer int
		loc   *ast.Location
	}
	packages := map[string]place{}
	singles := map[string]place{}
	var problems []Problem
	for _, f := range files {
		m := s.modules[f]
		layer := s.layerOf[f]
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		if first, ok := packages[pkg]; ok && first.layer < layer && !isOpen(pkg) && len(m.Rules) > 0 {
			problems = append(problems, Problem{
				File: f, Line: m.Package.Location.Row, Code: "policy_conflict_error",
				Message: fmt.Sprintf("package %s is defined by an earlier layer (%s:%d); add rules in an open package (%s) instead",
					pkg, first.loc.File, first.loc.Row, strings.Join(open, ", ")),
			})
			continue
		}
		if _, ok := packages[pkg]; !ok {
			packages[pkg] = place{layer, m.Package.Location}
		}
		for _, r := range m.Rules {
			if r.Head.RuleKind() == ast.MultiValue || (len(r.Head.Args) == 0 && len(r.Head.Ref()) > 1 && !r.Head.Ref().IsGround()) {
				continue // partial sets and objects gather values from every layer
			}
			path := pkg + "." + r.Head.Ref().String()
			if first, ok := singles[path]; ok && first.layer != layer {
				problems = append(problems, Problem{
					File: f, Line: r.Location.Row, Code: "policy_conflict_error",
					Message: fmt.Sprintf("%s is already defined at %s:%d", path, first.loc.File, first.loc.Row),
				})
				continue
			}
			if _, ok := singles[path]; !ok {
				singles[path] = place{layer, r.Location}
			}
		}
	}
	return problems
}
