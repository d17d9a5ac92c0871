package bench

import (
	"bufio"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// heapObjectsMetric is the bytes of heap objects, live and not yet swept.
// Reading it does not stop the world as runtime.ReadMemStats does.
const heapObjectsMetric = "/memory/classes/heap/objects:bytes"

// heapSampler records the peak of the Go heap while it runs.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	wg   sync.WaitGroup
}

func startHeapSampler(every time.Duration) *heapSampler {
	s := &heapSampler{stop: make(chan struct{})}
	s.sample()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.sample()
			}
		}
	}()
	return s
}

func (s *heapSampler) sample() {
	m := []metrics.Sample{{Name: heapObjectsMetric}}
	metrics.Read(m)
	if m[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	if v := m[0].Value.Uint64(); v > s.peak.Load() {
		s.peak.Store(v)
	}
}

// Stop ends the sampling and returns the peak in bytes.
func (s *heapSampler) Stop() uint64 {
	close(s.stop)
	s.wg.Wait()
	s.sample()
	return s.peak.Load()
}

// resetPeakRSS sets the kernel's peak RSS of this process back to the
// current RSS, so the next reading covers one phase. It reports whether
// the kernel took the reset, which Linux does since 4.0 (proc(5),
// clear_refs value 5).
func resetPeakRSS() bool {
	f, err := os.OpenFile("/proc/self/clear_refs", os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	_, err = f.WriteString("5")
	return err == nil
}

// peakRSS returns VmHWM of /proc/self/status in bytes, or 0 where that
// file does not exist.
func peakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 0 {
			return 0
		}
		kib, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			return 0
		}
		return kib * 1024
	}
	return 0
}
