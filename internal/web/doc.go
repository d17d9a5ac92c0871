// Package web is koppel's admin UI: sign-in, connections, the Contacts and
// Companies settings, field mappings with a preview before saving, sync
// health, activity and the record page, in Dutch and English.
//
// Pages are rendered on the server with html/template and need no
// JavaScript; charts are inline SVG. Templates, the style sheet and the
// message files are embedded, so the binary serves the UI without a build
// step and fetches nothing from other hosts.
//
// Every route except sign-in and the static files needs a session. Pages
// without one redirect to /signin; routes under /api/ return 401. Every
// POST carries a CSRF token derived from the session's secret (or, before
// sign-in, a double-submit cookie), and cross-origin POSTs are rejected
// by net/http's CrossOriginProtection as well.
package web
