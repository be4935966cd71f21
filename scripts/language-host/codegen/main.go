// pulumi-plivo-nodejs-codegen: the code generation half of the project's Node.js language host
// (scripts/language-host/host.js), which the CLI asks for TypeScript when `pulumi import` (or `pulumi convert`)
// generates code. It does what the Go `pulumi-language-nodejs` does in GenerateProgram, with Pulumi's own
// TypeScript generator: parse the PCL files, bind them with the schemas the CLI's loader serves, generate.
//
//	echo '{"source":{"main.pp":"…"},"loaderTarget":"127.0.0.1:1234","strict":false}' | pulumi-plivo-nodejs-codegen
//
// prints {"source":{"index.ts":"…"},"diagnostics":[{"severity":"error","summary":"…","detail":"…"}]}. A failure
// to run at all is one line on stderr and exit code 1.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

type request struct {
	Source       map[string]string `json:"source"`
	LoaderTarget string            `json:"loaderTarget"`
	Strict       bool              `json:"strict"`
}

type diagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail,omitempty"`
}

type response struct {
	Source      map[string]string `json:"source,omitempty"`
	Diagnostics []diagnostic      `json:"diagnostics"`
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fail("reading the request: %v", err)
	}
	if req.LoaderTarget == "" {
		fail("the request names no schema loader (loaderTarget)")
	}
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		fail("connecting to the CLI's schema loader at %s: %v", req.LoaderTarget, err)
	}
	defer loader.Close()

	parser := syntax.NewParser()
	names := make([]string, 0, len(req.Source))
	for name := range req.Source {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := parser.ParseFile(strings.NewReader(req.Source[name]), name); err != nil {
			fail("parsing %s: %v", name, err)
		}
	}
	resp := response{Diagnostics: []diagnostic{}}
	if parser.Diagnostics.HasErrors() {
		emit(resp, parser.Diagnostics)
		return
	}
	options := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.Strict {
		options = append(options, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindProgram(parser.Files, schema.NewCachedLoader(loader), options...)
	if err != nil {
		fail("binding the program: %v", err)
	}
	if diags.HasErrors() || program == nil {
		emit(resp, diags)
		return
	}
	files, genDiags, err := nodejs.GenerateProgram(program)
	if err != nil {
		fail("generating TypeScript: %v", err)
	}
	resp.Source = map[string]string{}
	for name, data := range files {
		resp.Source[name] = string(data)
	}
	emit(resp, append(diags, genDiags...))
}

func emit(resp response, diags hcl.Diagnostics) {
	for _, d := range diags {
		severity := "warning"
		if d.Severity == hcl.DiagError {
			severity = "error"
		}
		resp.Diagnostics = append(resp.Diagnostics, diagnostic{Severity: severity, Summary: d.Summary, Detail: d.Detail})
	}
	if err := json.NewEncoder(os.Stdout).Encode(resp); err != nil {
		fail("writing the response: %v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-plivo-nodejs-codegen: %s\n", fmt.Sprintf(format, args...))
	os.Exit(1)
}
