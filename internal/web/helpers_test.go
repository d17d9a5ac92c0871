package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/koppel-sync/koppel/internal/store"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func errorQueryAll(connID int64) store.ErrorQuery {
	return store.ErrorQuery{ConnectionID: connID, Page: store.Page{Limit: store.MaxPageSize}}
}

func readBody(w io.Writer, resp *http.Response) (int64, error) {
	defer resp.Body.Close()
	return io.Copy(w, resp.Body)
}

type contextArg = context.Context

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
