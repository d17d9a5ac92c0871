package bench

import (
	"os"
	"runtime"
	"testing"
	"time"
)

func TestPeakRSSReadsStatus(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc/self/status on this system")
	}
	if got := peakRSS(); got < 1<<20 {
		t.Errorf("peakRSS() = %d bytes, want at least 1 MiB for a running Go test", got)
	}
}

func TestHeapSamplerSeesAllocation(t *testing.T) {
	s := startHeapSampler(time.Millisecond)
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	time.Sleep(20 * time.Millisecond)
	peak := s.Stop()
	runtime.KeepAlive(buf)
	if peak < 64<<20 {
		t.Errorf("peak heap = %d bytes, want at least the 64 MiB allocated", peak)
	}
}
