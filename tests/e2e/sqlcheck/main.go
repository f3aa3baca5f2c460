// Command sqlcheck fails when a Go tree passes SQL built at run time to a database call:
// the SQL argument (the first one after a context) of Exec, Query, Raw, Where, Order and
// the like must be a constant
// (a string literal, a constant, or a sum of those), so values reach the database only
// as parameters. It reads non-test, non-generated files and uses only the standard
// library, so `go run` needs no module. Usage: go run main.go DIR...
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// sqlMethods take SQL text (database/sql, pgx, GORM).
var sqlMethods = map[string]bool{
	"Exec": true, "ExecContext": true, "Query": true, "QueryContext": true,
	"QueryRow": true, "QueryRowContext": true, "Prepare": true, "PrepareContext": true,
	"Raw": true, "Where": true, "Or": true, "Not": true, "Having": true, "Order": true,
	"Group": true, "Joins": true, "Select": true, "Distinct": true,
}

// builders make strings at run time.
var builders = map[string]bool{
	"fmt.Sprintf": true, "fmt.Sprint": true, "fmt.Sprintln": true,
	"strings.Join": true, "strings.Replace": true, "strings.ReplaceAll": true,
	"strings.Repeat": true, "strings.ToLower": true, "strings.ToUpper": true,
}

func main() {
	var findings []string
	fset := token.NewFileSet()
	for _, root := range os.Args[1:] {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if n := d.Name(); path != root && (n == "node_modules" || n == "vendor" || n == "testdata" || strings.HasPrefix(n, ".")) {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				return err
			}
			if !ast.IsGenerated(f) {
				findings = append(findings, check(fset, f)...)
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	if len(findings) > 0 {
		os.Exit(1)
	}
}

func check(fset *token.FileSet, f *ast.File) []string {
	var out []string
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		built := builtNames(fn.Body)
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !sqlMethods[sel.Sel.Name] {
				return true
			}
			args := call.Args
			if len(args) > 0 && isContext(args[0]) {
				args = args[1:]
			}
			if len(args) > 0 && (dynamic(args[0]) || isBuilt(args[0], built)) {
				out = append(out, fmt.Sprintf("%s: %s called with SQL built at run time", fset.Position(args[0].Pos()), sel.Sel.Name))
			}
			return true
		})
	}
	return out
}

// builtNames are the variables of a function assigned a string built at run time.
func builtNames(body *ast.BlockStmt) map[string]bool {
	built := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range s.Lhs {
				id, ok := lhs.(*ast.Ident)
				if !ok || i >= len(s.Rhs) {
					continue
				}
				if dynamic(s.Rhs[i]) || (s.Tok == token.ADD_ASSIGN && !static(s.Rhs[i])) {
					built[id.Name] = true
				}
			}
		case *ast.ValueSpec:
			for i, id := range s.Names {
				if i < len(s.Values) && dynamic(s.Values[i]) {
					built[id.Name] = true
				}
			}
		}
		return true
	})
	return built
}

// isContext recognises the context argument that comes before the SQL in
// database/sql's and pgx's methods: ctx, r.Context(), context.Background() and kin.
func isContext(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return strings.Contains(strings.ToLower(x.Name), "ctx")
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
			switch sel.Sel.Name {
			case "Context", "Background", "TODO", "WithoutCancel":
				return true
			}
		}
	}
	return false
}

func isBuilt(e ast.Expr, built map[string]bool) bool {
	id, ok := e.(*ast.Ident)
	return ok && built[id.Name]
}

// dynamic reports a string made at run time: a sum with a non-constant part, or a call
// to a string builder.
func dynamic(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.ParenExpr:
		return dynamic(x.X)
	case *ast.BinaryExpr:
		return x.Op == token.ADD && (!static(x.X) || !static(x.Y)) && (stringy(x.X) || stringy(x.Y))
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
			if pkg, ok := sel.X.(*ast.Ident); ok && builders[pkg.Name+"."+sel.Sel.Name] {
				return true
			}
		}
	}
	return false
}

// stringy: one side of a + is visibly a string, so the sum is not arithmetic.
func stringy(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Kind == token.STRING
	case *ast.ParenExpr:
		return stringy(x.X)
	case *ast.BinaryExpr:
		return stringy(x.X) || stringy(x.Y)
	}
	return false
}

// static: a string literal, a constant of this file, or a sum of those.
func static(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return static(x.X)
	case *ast.Ident:
		return x.Obj != nil && x.Obj.Kind == ast.Con
	case *ast.BinaryExpr:
		return x.Op == token.ADD && static(x.X) && static(x.Y)
	}
	return false
}
