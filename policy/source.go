package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/util"
)

// A Source is one layer of a policy: Rego modules and data documents in a
// file tree laid out as an OPA bundle. Later sources are applied over earlier ones.
type Source struct {
	// Name prefixes the paths of the source's files in problems and test
	// results; for a folder, the folder's path.
	Name string
	FS   fs.FS
}

// Dir is the Source for a folder on disk.
func Dir(dir string) Source {
	return Source{Name: path.Clean(strings.ReplaceAll(dir, `\`, "/")), FS: os.DirFS(dir)}
}

// A Document is a data document read from a source file.
type Document struct {
	File  string   // the file it came from, prefixed with its source's name
	Path  []string // where it sits under data, from the file's folder
	Value any
}

// sources is what a set of layers holds once read and parsed.
type sources struct {
	modules   map[string]*ast.Module // policy modules, by file
	layerOf   map[string]int         // each module's layer, by file
	tests     map[string]*ast.Module // *_test.rego modules, by file
	documents []Document             // in layer order
	files     map[string][]byte      // every file read, for extensions that need them
	revision  string
}

// readSources reads every layer. As in an OPA bundle, a data document lives
// in a file named data.json or data.yaml, at the path of its folder; files of
// other kinds are left for the caller to use or ignore.
func readSources(layers []Source) (*sources, error) {
	s := &sources{
		modules: map[string]*ast.Module{},
		tests:   map[string]*ast.Module{},
		layerOf: map[string]int{},
		files:   map[string][]byte{},
	}
	hash := sha256.New()
	var problems []Problem
	for n, layer := range layers {
		var names []string
		err := fs.WalkDir(layer.FS, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if name != "." && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				return nil
			}
			names = append(names, name)
			return nil
		})
		if err != nil {
			problems = append(problems, Problem{File: layer.Name, Code: "policy_read_error", Message: err.Error()})
			continue
		}
		sort.Strings(names)
		first := len(s.documents)
		for _, name := range names {
			bs, err := fs.ReadFile(layer.FS, name)
			file := path.Join(layer.Name, name)
			if err != nil {
				problems = append(problems, Problem{File: file, Code: "policy_read_error", Message: err.Error()})
				continue
			}
			hash.Write([]byte(file))
			hash.Write([]byte{0})
			hash.Write(bs)
			hash.Write([]byte{0})
			s.files[file] = bs
			s.layerOf[file] = n
			problems = append(problems, s.add(file, name, bs)...)
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

func (s *sources) add(file, name string, bs []byte) []Problem {
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
		if strings.HasSuffix(base, "_test.rego") {
			s.tests[file] = m
		} else {
			s.modules[file] = m
		}
	case base == "data.json" || base == "data.yaml" || base == "data.yml":
		var v any
		if err := util.Unmarshal(bs, &v); err != nil {
			return []Problem{{File: file, Code: "policy_data_error", Message: err.Error()}}
		}
		dir := path.Dir(name)
		var at []string
		if dir != "." {
			at = strings.Split(dir, "/")
		}
		s.documents = append(s.documents, Document{File: file, Path: at, Value: v})
	}
	return nil
}

// data merges the documents into one tree. A document replaces whatever an
// earlier layer put at its path, so an overlay replaces a profile whole
// rather than patching it field by field.
func (s *sources) data() (map[string]any, []Problem) {
	root := map[string]any{}
	var problems []Problem
	for _, doc := range s.documents {
		if len(doc.Path) == 0 {
			obj, ok := doc.Value.(map[string]any)
			if !ok {
				problems = append(problems, Problem{File: doc.File, Code: "policy_data_error", Message: "a data file at the root must hold an object"})
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
		node[doc.Path[len(doc.Path)-1]] = doc.Value
	}
	return root, problems
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
