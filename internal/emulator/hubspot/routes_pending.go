package hubspot

import (
	"net/http"
	"time"
)

type accessToken struct {
	expires time.Time
	appID   int64
}

func (e *Emulator) routeObjects(mux *http.ServeMux)      {}
func (e *Emulator) routeProperties(mux *http.ServeMux)   {}
func (e *Emulator) routeOwners(mux *http.ServeMux)       {}
func (e *Emulator) routeAssociations(mux *http.ServeMux) {}
func (e *Emulator) routeLists(mux *http.ServeMux)        {}
func (e *Emulator) routePreferences(mux *http.ServeMux)  {}
func (e *Emulator) routeAccount(mux *http.ServeMux)      {}
func (e *Emulator) routeAdmin(mux *http.ServeMux)        {}
func (e *Emulator) routeOAuth(mux, api *http.ServeMux)   {}
