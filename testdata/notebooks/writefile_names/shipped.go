//go:build ignore

// %% [markdown]
// Every %%writefile below names a place zengen must not write.

// %%
// %%writefile ../outside.txt
escapes the output folder

// %%
// %%writefile /tmp/zengen-absolute.txt
an absolute path

// %%
// %%writefile .git/hooks/pre-commit
#!/bin/sh

// %%
// %%writefile data/.zen/meta.db
the store

// %%
// %%writefile go.mod
module evil

// %%
// %%writefile sub/go.sum
sums

// %%
// %%writefile go.work
go 1.26

// %%
// %%writefile pipeline_zen.go
package shipped

// %%
// %%writefile step_later_zen.go
package shipped

// %%
// %%writefile data/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.txt
too long a name

// %%
// %%writefile Decls_ZEN.go
package shipped

// %%
// %%writefile cmd
where the command's folder goes

// %%
// %%writefile notes
a file

// %%
// %%writefile notes/today.txt
a file where a folder is

// %% tags=["step:count"]
n := 3
fmt.Println(n)
