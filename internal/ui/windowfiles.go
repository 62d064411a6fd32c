package ui

import (
	"context"
	"path/filepath"
)

// OutsideFiles is what the window created outside Rehearse's folders: the
// toolkit's folder for this app (its preferences record, for one, the last
// folder a file dialog showed) and files it added to the user's shared
// folders since the window started (a font index on a first run).
type OutsideFiles struct {
	AppFolder string
	Created   []string
}

// rememberOutside hands what the window created outside Rehearse's folders
// to Deps.RememberOutside, so that a wipe (here or on the command line)
// deletes it too.
func (u *UI) rememberOutside(ctx context.Context) {
	if u.deps.RememberOutside == nil {
		return
	}
	var o OutsideFiles
	if root := u.app.Storage().RootURI(); root != nil && root.Scheme() == "file" && u.app.UniqueID() != "" &&
		filepath.Base(root.Path()) == u.app.UniqueID() {
		o.AppFolder = filepath.Clean(root.Path())
	}
	if u.deps.CreatedSince != nil {
		o.Created = u.deps.CreatedSince()
	}
	_ = u.deps.RememberOutside(ctx, o)
}
