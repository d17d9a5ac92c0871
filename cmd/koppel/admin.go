package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/koppel-sync/koppel/internal/connection"
	"github.com/koppel-sync/koppel/internal/store"
	"github.com/koppel-sync/koppel/internal/web"
)

func init() {
	registerCommand(command{
		Name:    "admin",
		Summary: "manage web UI admins (admin create USERNAME [--password-stdin])",
		Run:     runAdmin,
	})
}

// adminStdin is the input admin create reads the password from.
var adminStdin io.Reader = os.Stdin

// adminMessages are the command's messages for people, in both languages.
var adminMessages = map[string]map[string]string{
	"en": {
		"usage":      "use 'koppel admin create USERNAME [--password-stdin]'",
		"username":   "invalid username %q: use 1 to 64 letters, digits, dots, dashes, underscores or @",
		"prompt":     "Password for %s: ",
		"again":      "Repeat the password: ",
		"mismatch":   "the two passwords differ; run the command again",
		"short":      "the password has %d characters; use at least %d",
		"noterm":     "stdin is not a terminal; pipe the password in and add --password-stdin",
		"exists":     "an admin named %q exists already; choose another name",
		"created":    "Created admin %s. Sign in at the address koppel serve prints.\n",
		"emptystdin": "no password on stdin; write it as the first line",
	},
	"nl": {
		"usage":      "gebruik 'koppel admin create GEBRUIKERSNAAM [--password-stdin]'",
		"username":   "ongeldige gebruikersnaam %q: gebruik 1 tot 64 letters, cijfers, punten, streepjes, liggende streepjes of @",
		"prompt":     "Wachtwoord voor %s: ",
		"again":      "Herhaal het wachtwoord: ",
		"mismatch":   "de twee wachtwoorden verschillen; voer de opdracht opnieuw uit",
		"short":      "het wachtwoord heeft %d tekens; gebruik er minstens %d",
		"noterm":     "stdin is geen terminal; geef het wachtwoord via een pipe door en voeg --password-stdin toe",
		"exists":     "er bestaat al een beheerder met de naam %q; kies een andere naam",
		"created":    "Beheerder %s aangemaakt. Meld u aan op het adres dat koppel serve toont.\n",
		"emptystdin": "geen wachtwoord op stdin; zet het op de eerste regel",
	},
}

func runAdmin(ctx context.Context, g *globalOptions, args []string, stdout, stderr io.Writer) error {
	msg := adminMessages[g.Lang]
	if msg == nil {
		msg = adminMessages["en"]
	}
	if len(args) == 0 || args[0] != "create" {
		return &usageError{msg["usage"]}
	}

	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin instead of a prompt")
	// The username may come before or after the flag.
	rest := args[1:]
	var positional []string
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		rest = fs.Args()
		if len(rest) > 0 {
			positional = append(positional, rest[0])
			rest = rest[1:]
		}
	}
	if len(positional) != 1 {
		return &usageError{msg["usage"]}
	}
	username := positional[0]
	if !validUsername(username) {
		return &usageError{fmt.Sprintf(msg["username"], username)}
	}

	password, err := readAdminPassword(username, *fromStdin, msg, stderr)
	if err != nil {
		return err
	}
	if n := utf8.RuneCountInString(password); n < web.MinPasswordLength {
		return fmt.Errorf(msg["short"], n, web.MinPasswordLength)
	}

	hash, err := web.HashPassword(password)
	if err != nil {
		return err
	}
	st, err := connection.OpenStore(ctx, g.DataDir, os.Getenv, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := st.CreateUser(ctx, store.User{Username: username, PasswordHash: hash}); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf(msg["exists"], username)
		}
		return fmt.Errorf("create admin: %w", err)
	}
	fmt.Fprintf(stdout, msg["created"], username)
	return nil
}

// readAdminPassword reads the password from the first line of stdin, or
// twice from the terminal without echo. It never comes from a flag, which
// would leave it in the shell history and the process list.
func readAdminPassword(username string, fromStdin bool, msg map[string]string, stderr io.Writer) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(adminStdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password from stdin: %w", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			return "", errors.New(msg["emptystdin"])
		}
		return line, nil
	}

	f, ok := adminStdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", &usageError{msg["noterm"]}
	}
	fmt.Fprintf(stderr, msg["prompt"], username)
	first, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprint(stderr, msg["again"])
	second, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if string(first) != string(second) {
		return "", errors.New(msg["mismatch"])
	}
	return string(first), nil
}

func validUsername(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r)
		if !ok {
			return false
		}
	}
	return true
}
