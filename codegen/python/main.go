// Generates the Python SDK of the plivo package with Pulumi's own Python code generator (the one `pulumi package
// gen-sdk --language python` runs inside pulumi-language-python, which these machines cannot install): binds the
// package schema (validating it against Pulumi's metaschema) and writes the generated files.
//
//	go run . <schema.json> <output dir>
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// noReferences is the loader of a package that refers to no other package: any lookup is an error.
type noReferences struct{}

func (noReferences) refused(name string) error {
	return fmt.Errorf("the plivo schema refers to package %q; it must be self-contained", name)
}
func (l noReferences) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.refused(pkg)
}
func (l noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.refused(d.Name)
}
func (l noReferences) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.refused(pkg)
}
func (l noReferences) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, l.refused(d.Name)
}

func main() {
	if len(os.Args) != 3 {
		fail("usage: go run . <schema.json> <output dir>")
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err.Error())
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		fail(fmt.Sprintf("%s: %v", os.Args[1], err))
	}
	pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
	if err != nil {
		fail(err.Error())
	}
	if len(diags) > 0 {
		fail(fmt.Sprintf("the package schema does not bind: %v", diags))
	}
	files, err := python.GeneratePackage("pulumi-plivo codegen", pkg, nil, noReferences{})
	if err != nil {
		fail(err.Error())
	}
	for name, data := range files {
		path := filepath.Join(os.Args[2], name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fail(err.Error())
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			fail(err.Error())
		}
	}
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "codegen/python:", message)
	os.Exit(1)
}
