package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is the unit of utime and stime in /proc/<pid>/stat (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// cpuUse is CPU time spent so far by the three parties of a run: the server, PostgreSQL (all
// its processes) and this program, the client. On a machine with few cores they share, every
// microsecond one spends is taken from the others, so the split says where throughput goes.
type cpuUse struct{ server, postgres, client time.Duration }

func cpuNow(serverPID int) cpuUse {
	var u cpuUse
	if serverPID > 0 {
		u.server = procCPU(filepath.Join("/proc", strconv.Itoa(serverPID), "stat"))
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		if comm, _ := os.ReadFile(filepath.Join(filepath.Dir(f), "comm")); string(bytes.TrimSpace(comm)) == "postgres" {
			u.postgres += procCPU(f)
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		u.client = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	return u
}

// procCPU reads utime + stime of one process; a process that is gone counts as zero.
func procCPU(statFile string) time.Duration {
	b, err := os.ReadFile(statFile)
	if err != nil {
		return 0
	}
	// The command name may hold spaces and parentheses; the fields after its last ')' are fixed.
	if i := bytes.LastIndexByte(b, ')'); i >= 0 {
		b = b[i+1:]
	}
	f := bytes.Fields(b)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(string(f[11]), 10, 64)
	stime, _ := strconv.ParseInt(string(f[12]), 10, 64)
	return time.Duration(utime+stime) * clockTick
}

func (u cpuUse) plus(v cpuUse) cpuUse {
	return cpuUse{u.server + v.server, u.postgres + v.postgres, u.client + v.client}
}

func (u cpuUse) minus(v cpuUse) cpuUse {
	return cpuUse{u.server - v.server, u.postgres - v.postgres, u.client - v.client}
}

// perRequest formats the CPU spent per request of n.
func (u cpuUse) perRequest(n int64) string {
	if n == 0 {
		return "no requests"
	}
	per := func(d time.Duration) string { return fmt.Sprintf("%.0f us", float64(d.Microseconds())/float64(n)) }
	return fmt.Sprintf("server %s, PostgreSQL %s, client %s", per(u.server), per(u.postgres), per(u.client))
}

// processCPU is the CPU time pid's threads have run so far, summed from
// /proc/<pid>/task/*/schedstat in nanoseconds: utime and stime count 10 ms ticks, coarser than
// what refusing one document should cost. A thread that has exited no longer counts; Go's
// runtime keeps its threads.
func processCPU(pid int) time.Duration {
	stats, _ := filepath.Glob(filepath.Join("/proc", strconv.Itoa(pid), "task", "*", "schedstat"))
	var sum time.Duration
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if f := bytes.Fields(b); len(f) > 0 {
			ns, _ := strconv.ParseInt(string(f[0]), 10, 64)
			sum += time.Duration(ns)
		}
	}
	return sum
}

// procStatus reads the named fields of /proc/<pid>/status, each in kB; a field that cannot be
// read is 0.
func procStatus(pid int, fields ...string) []int64 {
	out := make([]int64, len(fields))
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		if i := slices.Index(fields, name); i >= 0 {
			out[i], _ = strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		}
	}
	return out
}
