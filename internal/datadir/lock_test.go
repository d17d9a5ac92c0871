package datadir

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestLockRejectsSecondHolder(t *testing.T) {
	dir := t.TempDir()

	release, err := Lock(dir)
	if err != nil {
		t.Fatalf("first Lock: %v", err)
	}
	defer release()

	_, err = Lock(dir)
	var inUse *InUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("second Lock error = %v, want *InUseError", err)
	}
	if inUse.PID != os.Getpid() {
		t.Errorf("PID = %d, want %d", inUse.PID, os.Getpid())
	}
	if !strings.Contains(err.Error(), "--data-dir") {
		t.Errorf("message %q does not say how to go on", err)
	}
}

func TestLockAfterRelease(t *testing.T) {
	dir := t.TempDir()

	release, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	release()

	release, err = Lock(dir)
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	release()
}

func TestLockCreatesDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "data")

	release, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()

	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o700 {
		t.Errorf("mode = %v, want 0700", info.Mode().Perm())
	}
}

// TestLockHeldByOtherProcess holds the lock in a child process, because
// flock locks belong to open files and the test must see a real second
// holder, as a second koppel serve would be.
func TestLockHeldByOtherProcess(t *testing.T) {
	if os.Getenv("KOPPEL_LOCK_CHILD") != "" {
		release, err := Lock(os.Getenv("KOPPEL_LOCK_CHILD"))
		if err != nil {
			os.Exit(3)
		}
		defer release()
		os.Stdout.WriteString("locked\n")
		buf := make([]byte, 1)
		os.Stdin.Read(buf)
		return
	}

	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHeldByOtherProcess$")
	cmd.Env = append(os.Environ(), "KOPPEL_LOCK_CHILD="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()

	buf := make([]byte, 7)
	if _, err := stdout.Read(buf); err != nil || string(buf) != "locked\n" {
		t.Fatalf("child did not take the lock: %q, %v", buf, err)
	}

	_, err = Lock(dir)
	var inUse *InUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("Lock while a child holds it = %v, want *InUseError", err)
	}
	if inUse.PID != cmd.Process.Pid {
		t.Errorf("PID = %d, want the child's %d", inUse.PID, cmd.Process.Pid)
	}
}
