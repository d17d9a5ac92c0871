package datadir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// LockFile is the name of the lock file inside the data directory.
const LockFile = "koppel.lock"

// InUseError reports a data directory that another process holds.
type InUseError struct {
	Dir string
	PID int // 0 when the holder did not record its process id
}

func (e *InUseError) Error() string {
	holder := "another koppel process"
	if e.PID > 0 {
		holder = fmt.Sprintf("another koppel process (pid %d)", e.PID)
	}
	return fmt.Sprintf("data directory %s is in use by %s; stop it first, or use another --data-dir", e.Dir, holder)
}

// Lock takes an exclusive lock on dir, creating dir when it is missing, and
// returns the function that releases it. The operating system releases the
// lock when the process ends, also after SIGKILL, so a crash never leaves
// the directory locked.
func Lock(dir string) (release func(), err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}

	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}

	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid := readPID(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, &InUseError{Dir: dir, PID: pid}
		}
		return nil, fmt.Errorf("lock data directory %s: %w", dir, err)
	}

	// The process id only improves the message a second process shows.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}

	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func readPID(f *os.File) int {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	if err != nil {
		return 0
	}
	return pid
}
