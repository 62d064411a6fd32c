package promises

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The promise: the only network path in Rehearse is the speech model download
// in internal/models, started by the user. TestNoNetworkOutsideModels checks
// it on the import graph of every package of the module (with the build tags
// of GOFLAGS, and again with the whisper tag added), under these rules:
//
//  1. No package of the module imports, directly or through any chain of
//     imports, a networking client: net/http (and below), crypto/tls, net/rpc,
//     net/smtp, net/mail or one of the third-party clients in
//     networkClients. The one exception is internal/models, the downloader
//     itself (it brings its own byte-counting HTTP client), and the edges
//     from the wiring packages (cmd/rehearse and internal/local, which
//     builds the parts for it) to internal/models that wire it in. Even
//     they may not import net/http themselves: a request made there would
//     bypass the downloader's byte counter.
//  2. No package of the module other than the wiring packages imports
//     internal/models: the window and the command line reach downloads only
//     through the interfaces the wiring fills in.
//  3. No package of the module imports the raw socket package net directly
//     (internal/models and cmd/rehearse excepted).
//  4. Third-party code may import net or net/http only through the edges in
//     allowedEdges, each with its reason: the D-Bus library the OS keyring
//     uses speaks over a local unix socket, and Fyne's root package carries
//     helpers that load an image from an http(s) URL. Rehearse never calls
//     those helpers: TestNoURLResourcesInUI scans the source for them.
//
// Test files are not part of the program and are not checked (the
// downloader's tests use net/http/httptest).

const modelsPkg = "internal/models"

// networkClients are import paths (or path prefixes ending in "/") that talk
// to other computers.
var networkClients = []string{
	"net/http", "net/http/", "crypto/tls", "net/rpc", "net/rpc/", "net/smtp", "net/mail",
	"golang.org/x/net/http2", "golang.org/x/net/http/", "golang.org/x/net/websocket", "golang.org/x/net/proxy",
	"golang.org/x/net/webdav", "golang.org/x/net/icmp", "golang.org/x/net/ipv4", "golang.org/x/net/ipv6", "golang.org/x/net/netutil",
	"golang.org/x/net/trace", "golang.org/x/oauth2", "golang.org/x/crypto/ssh",
	"google.golang.org/grpc", "google.golang.org/api/", "cloud.google.com/go",
	"github.com/aws/aws-sdk-go", "github.com/aws/aws-sdk-go-v2/", "github.com/Azure/azure-sdk-for-go/",
	"github.com/go-resty/resty", "github.com/hashicorp/go-retryablehttp", "github.com/hashicorp/go-getter",
	"github.com/imroc/req", "github.com/parnurzeal/gorequest", "github.com/cavaliergopher/grab",
	"github.com/valyala/fasthttp", "github.com/gorilla/websocket", "nhooyr.io/websocket", "github.com/coder/websocket",
	"github.com/quic-go/quic-go", "github.com/miekg/dns", "github.com/minio/minio-go",
	"github.com/nats-io/nats.go", "github.com/eclipse/paho.mqtt.golang", "github.com/jlaffaye/ftp", "github.com/pkg/sftp",
	"github.com/getsentry/sentry-go", "github.com/bugsnag/bugsnag-go", "github.com/rollbar/rollbar-go",
	"github.com/posthog/posthog-go", "github.com/segmentio/analytics-go", "gopkg.in/segmentio/analytics-go",
	"go.opentelemetry.io/otel/exporters/", "github.com/DataDog/datadog-go", "github.com/prometheus/client_golang/prometheus/push",
	"github.com/google/go-github", "github.com/sashabaranov/go-openai", "github.com/openai/openai-go", "github.com/slack-go/slack",
}

// allowedEdges are the third-party imports of net or net/http that are
// accepted, and why.
var allowedEdges = map[[2]string]string{
	{"github.com/godbus/dbus/v5", "net"}:                "D-Bus client used by the OS keyring: connects to the session bus over a local unix socket",
	{"fyne.io/fyne/v2", "net/http"}:                     "Fyne's LoadResourceFromURLString helper; Rehearse never calls it (TestNoURLResourcesInUI)",
	{"fyne.io/fyne/v2/internal/repository", "net/http"}: "Fyne's http(s) URI handler; Rehearse never opens http(s) URIs (TestNoURLResourcesInUI)",
}

type goPackage struct {
	ImportPath string
	Dir        string
	Standard   bool
	GoFiles    []string
	CgoFiles   []string
	Imports    []string
	Module     *struct{ Path string }
	Error      *struct{ Err string }
}

func isNetworkClient(path string) bool {
	for _, c := range networkClients {
		if strings.HasSuffix(c, "/") {
			if strings.HasPrefix(path, c) || path == strings.TrimSuffix(c, "/") {
				return true
			}
		} else if path == c || strings.HasPrefix(path, c+"/") {
			return true
		}
	}
	return false
}

// importGraph is the output of go list -deps.
type importGraph struct {
	module string
	pkgs   map[string]*goPackage
	order  []string // module packages, sorted
}

func (g *importGraph) inModule(p string) bool {
	return p == g.module || strings.HasPrefix(p, g.module+"/")
}

func (g *importGraph) isModels(p string) bool {
	m := g.module + "/" + modelsPkg
	return p == m || strings.HasPrefix(p, m+"/")
}

// isWiring reports whether p is one of the packages that build the parts
// and hand them to the front ends: main, and internal/local for it.
func (g *importGraph) isWiring(p string) bool {
	return p == g.module+"/cmd/rehearse" || p == g.module+"/internal/local"
}

// violation is one broken rule with the import chain that breaks it.
type violation struct {
	pkg   string
	rule  string
	chain []string
}

func (v violation) String() string {
	return fmt.Sprintf("%s: %s\n\t%s", v.pkg, v.rule, strings.Join(v.chain, "\n\t  imports "))
}

// check applies the rules to every package of the module and returns each
// package's shortest offending chains (one per forbidden target).
func (g *importGraph) check() []violation {
	var out []violation
	for _, root := range g.order {
		if g.isModels(root) {
			continue
		}
		parent := map[string]string{root: ""}
		queue := []string{root}
		seen := map[string]bool{}
		chain := func(from, to string) []string {
			c := []string{to}
			for n := from; n != ""; n = parent[n] {
				c = append(c, n)
			}
			for i, j := 0, len(c)-1; i < j; i, j = i+1, j-1 {
				c[i], c[j] = c[j], c[i]
			}
			return c
		}
		report := func(from, to, rule string) {
			if seen[to] {
				return
			}
			seen[to] = true
			out = append(out, violation{pkg: root, rule: rule, chain: chain(from, to)})
		}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			p := g.pkgs[n]
			if p == nil {
				continue
			}
			for _, imp := range p.Imports {
				if _, ok := allowedEdges[[2]string{n, imp}]; ok {
					continue
				}
				if g.isWiring(root) && g.isWiring(n) && g.isModels(imp) {
					continue // the wiring builds the downloader
				}
				switch {
				case g.isModels(imp):
					report(n, imp, "reaches the model downloader, which only the wiring (cmd/rehearse, internal/local) may build")
					continue
				case isNetworkClient(imp):
					report(n, imp, "reaches a network client")
					continue
				case imp == "net" && g.inModule(n):
					report(n, imp, "imports the socket package net directly")
					continue
				case imp == "net":
					report(n, imp, "third-party code opens sockets through an import not in allowedEdges")
					continue
				}
				if _, ok := parent[imp]; !ok {
					parent[imp] = n
					queue = append(queue, imp)
				}
			}
		}
	}
	return out
}

// moduleRoot is the folder of go.mod.
func moduleRoot(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		t.Fatal("not inside the Rehearse module")
	}
	return filepath.Dir(mod)
}

// buildTags returns the tags set in GOFLAGS (-tags=a,b).
func buildTags() []string {
	var tags []string
	for _, f := range strings.Fields(os.Getenv("GOFLAGS")) {
		f = strings.TrimLeft(f, "-")
		if v, ok := strings.CutPrefix(f, "tags="); ok {
			for _, t := range strings.Split(v, ",") {
				if t = strings.TrimSpace(t); t != "" {
					tags = append(tags, t)
				}
			}
		}
	}
	return tags
}

func loadGraph(t testing.TB, root string, tags []string) *importGraph {
	t.Helper()
	args := []string{"list", "-e", "-deps", "-json=ImportPath,Dir,Standard,GoFiles,CgoFiles,Imports,Module,Error", "-tags=" + strings.Join(tags, ","), "./..."}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	modOut, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	g := &importGraph{module: strings.TrimSpace(string(modOut)), pkgs: map[string]*goPackage{}}
	dec := json.NewDecoder(bytes.NewReader(out))
	var broken []string
	for {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		g.pkgs[p.ImportPath] = &p
		if p.Error != nil {
			broken = append(broken, p.ImportPath+": "+p.Error.Err)
		}
		if p.Module != nil && p.Module.Path == g.module {
			g.order = append(g.order, p.ImportPath)
		}
	}
	if len(broken) > 0 {
		t.Fatalf("the import graph (tags %q) is incomplete, so the rules cannot be checked:\n%s", tags, strings.Join(broken, "\n"))
	}
	sort.Strings(g.order)
	if len(g.order) == 0 {
		t.Fatal("go list found no package of the module")
	}
	return g
}

func tagVariants() [][]string {
	base := buildTags()
	with := append([]string(nil), base...)
	has := false
	for _, t := range base {
		has = has || t == "whisper"
	}
	if !has {
		with = append(with, "whisper")
	}
	return [][]string{base, with}
}

func TestNoNetworkOutsideModels(t *testing.T) {
	root := moduleRoot(t)
	for _, tags := range tagVariants() {
		t.Run("tags="+strings.Join(tags, ","), func(t *testing.T) {
			g := loadGraph(t, root, tags)
			for _, v := range g.check() {
				t.Errorf("%v", v)
			}
			t.Logf("checked %d packages of %s (%d packages in the graph)", len(g.order), g.module, len(g.pkgs))
		})
	}
}

// TestImportRulesCatchViolations runs the rules on small made-up graphs, so a
// change to the walker that stops it from finding anything fails here.
func TestImportRulesCatchViolations(t *testing.T) {
	const m = "example.com/app"
	type edge = [2]string
	tests := []struct {
		name  string
		edges []edge
		want  []string // "pkg: target" of each violation
	}{
		{"clean", []edge{{m + "/internal/core", "fmt"}}, nil},
		{"direct http", []edge{{m + "/internal/core", "net/http"}}, []string{m + "/internal/core: net/http"}},
		{"transitive tls", []edge{{m + "/internal/core", "example.org/lib"}, {"example.org/lib", "crypto/tls"}},
			[]string{m + "/internal/core: crypto/tls"}},
		{"direct net", []edge{{m + "/internal/core", "net"}}, []string{m + "/internal/core: net"}},
		{"third-party net not allowed", []edge{{m + "/internal/core", "example.org/lib"}, {"example.org/lib", "net"}},
			[]string{m + "/internal/core: net"}},
		{"keyring over D-Bus", []edge{{m + "/internal/keyring", "github.com/godbus/dbus/v5"}, {"github.com/godbus/dbus/v5", "net"}}, nil},
		{"fyne helper", []edge{{m + "/internal/ui", "fyne.io/fyne/v2"}, {"fyne.io/fyne/v2", "net/http"}}, nil},
		{"ui imports models", []edge{{m + "/internal/ui", m + "/internal/models"}, {m + "/internal/models", "net/http"}},
			[]string{m + "/internal/ui: " + m + "/internal/models"}},
		{"main wires models", []edge{{m + "/cmd/rehearse", m + "/internal/models"}, {m + "/internal/models", "net/http"}}, nil},
		{"main wires models through local", []edge{{m + "/cmd/rehearse", m + "/internal/local"}, {m + "/internal/local", m + "/internal/models"},
			{m + "/internal/models", "net/http"}}, nil},
		{"ui reaches models through local", []edge{{m + "/internal/ui", m + "/internal/local"}, {m + "/internal/local", m + "/internal/models"},
			{m + "/internal/models", "net/http"}}, []string{m + "/internal/ui: " + m + "/internal/models"}},
		{"local makes its own requests", []edge{{m + "/internal/local", "net/http"}}, []string{m + "/internal/local: net/http"}},
		{"main makes its own requests", []edge{{m + "/cmd/rehearse", m + "/internal/models"}, {m + "/cmd/rehearse", "net/http"}},
			[]string{m + "/cmd/rehearse: net/http"}},
		{"main through another package", []edge{{m + "/cmd/rehearse", "example.org/telemetry"}, {"example.org/telemetry", "net/http"}},
			[]string{m + "/cmd/rehearse: net/http"}},
		{"known client", []edge{{m + "/internal/feedback", "github.com/getsentry/sentry-go"}},
			[]string{m + "/internal/feedback: github.com/getsentry/sentry-go"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &importGraph{module: m, pkgs: map[string]*goPackage{}}
			for _, e := range tt.edges {
				for _, p := range e {
					if g.pkgs[p] == nil {
						g.pkgs[p] = &goPackage{ImportPath: p}
						if g.inModule(p) {
							g.order = append(g.order, p)
						}
					}
				}
				g.pkgs[e[0]].Imports = append(g.pkgs[e[0]].Imports, e[1])
			}
			sort.Strings(g.order)
			var got []string
			for _, v := range g.check() {
				got = append(got, v.pkg+": "+v.chain[len(v.chain)-1])
				if v.chain[0] != v.pkg {
					t.Errorf("chain %q does not start at %s", v.chain, v.pkg)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("violations:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// urlLoaders are Fyne functions that fetch their argument when it is an
// http(s) URL. Rehearse passes them only local resources.
var urlLoaders = map[string]bool{
	"LoadResourceFromURI": true, "ParseURI": true, "NewURI": true, "NewImageFromURI": true,
	"NewRichTextFromMarkdown": true, "ParseMarkdown": true, "AppendMarkdown": true, "NewImageFromURL": true,
}

// TestNoURLResourcesInUI backs the Fyne entries of allowedEdges: no package
// of the module calls Fyne's URL loader, or hands a Fyne loader a literal
// http(s), ws(s) or ftp address.
func TestNoURLResourcesInUI(t *testing.T) {
	root := moduleRoot(t)
	g := loadGraph(t, root, buildTags())
	fset := token.NewFileSet()
	files := 0
	for _, path := range g.order {
		if g.isModels(path) {
			continue
		}
		p := g.pkgs[path]
		for _, name := range append(append([]string(nil), p.GoFiles...), p.CgoFiles...) {
			fn := filepath.Join(p.Dir, name)
			f, err := parser.ParseFile(fset, fn, nil, 0)
			if err != nil {
				t.Fatalf("parse %s: %v", fn, err)
			}
			files++
			for _, bad := range urlCalls(fset, f) {
				t.Errorf("%s", bad)
			}
		}
	}
	if files == 0 {
		t.Fatal("no source files scanned")
	}
	t.Logf("scanned %d source files", files)
}

func urlCalls(fset *token.FileSet, f *ast.File) []string {
	var bad []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		var name string
		switch fn := call.Fun.(type) {
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		case *ast.Ident:
			name = fn.Name
		}
		if name == "LoadResourceFromURLString" {
			bad = append(bad, fmt.Sprintf("%s: calls %s, which downloads", fset.Position(call.Pos()), name))
			return true
		}
		if !urlLoaders[name] {
			return true
		}
		for _, a := range call.Args {
			ast.Inspect(a, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && hasNetworkURL(s) {
						bad = append(bad, fmt.Sprintf("%s: %s is given the network address %q", fset.Position(lit.Pos()), name, s))
					}
				}
				return true
			})
		}
		return true
	})
	return bad
}

func hasNetworkURL(s string) bool {
	s = strings.ToLower(s)
	for _, scheme := range []string{"http://", "https://", "ws://", "wss://", "ftp://"} {
		if strings.Contains(s, scheme) {
			return true
		}
	}
	return false
}

func TestURLCallScanner(t *testing.T) {
	tests := []struct {
		src  string
		want int
	}{
		{`package p; func f() { fyne.LoadResourceFromURLString("x") }`, 1},
		{`package p; func f() { storage.ParseURI("https://example.com/a.png") }`, 1},
		{`package p; func f() { widget.NewRichTextFromMarkdown("![x](http://e.org/i.png)") }`, 1},
		{`package p; func f() { storage.ParseURI("file:///tmp/a.png") }`, 0},
		{`package p; func f() { fmt.Println("https://example.com") }`, 0},
	}
	for _, tt := range tests {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "x.go", tt.src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := urlCalls(fset, f); len(got) != tt.want {
			t.Errorf("%s: got %q, want %d finding(s)", tt.src, got, tt.want)
		}
	}
}
