// qmpbench: the go-qemu peer of the kvmj QMP benchmarks (io.kvmj.bench.peers.QmpPeers).
// It talks to one QMP socket through github.com/digitalocean/go-qemu/qmp (qmp.NewSocketMonitor), the way a Go
// program would, and prints what the other peer drivers print (see QmpDriverMain for the protocol):
//
//	qmpbench SOCKET WARMUP_MS LATENCY_MS THROUGHPUT_MS K1,K2,...
//	lat <ns> <ns> ...        one query-status round trip each, after WARMUP_MS of untimed calls
//	thr <K> <commands> <ns>  K goroutines calling Run for THROUGHPUT_MS (go-qemu serialises Run with a mutex)
//
// Built by scripts/bench with GO111MODULE=off GOPATH=/usr/share/gocode (Debian's golang-github-digitalocean-go-qemu-dev).
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/digitalocean/go-qemu/qmp"
)

var cmd = []byte(`{"execute":"query-status"}`)

func main() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: qmpbench SOCKET WARMUP_MS LATENCY_MS THROUGHPUT_MS K1,K2,...")
		os.Exit(2)
	}
	warm, _ := strconv.Atoi(os.Args[2])
	latMs, _ := strconv.Atoi(os.Args[3])
	thrMs, _ := strconv.Atoi(os.Args[4])
	mon, err := qmp.NewSocketMonitor("unix", os.Args[1], 5*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qmpbench:", err)
		os.Exit(1)
	}
	if err := mon.Connect(); err != nil {
		fmt.Fprintln(os.Stderr, "qmpbench:", err)
		os.Exit(1)
	}
	defer mon.Disconnect()
	run := func() {
		if _, err := mon.Run(cmd); err != nil {
			fmt.Fprintln(os.Stderr, "qmpbench:", err)
			os.Exit(1)
		}
	}
	for end := time.Now().Add(time.Duration(warm) * time.Millisecond); time.Now().Before(end); {
		run()
	}
	lat := make([]int64, 0, 1<<16)
	for end := time.Now().Add(time.Duration(latMs) * time.Millisecond); time.Now().Before(end); {
		t0 := time.Now()
		run()
		lat = append(lat, time.Since(t0).Nanoseconds())
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	w.WriteString("lat")
	for _, v := range lat {
		w.WriteString(" ")
		w.WriteString(strconv.FormatInt(v, 10))
	}
	w.WriteString("\n")
	for _, ks := range strings.Split(os.Args[5], ",") {
		k, _ := strconv.Atoi(ks)
		var n int64
		var wg sync.WaitGroup
		t0 := time.Now()
		end := t0.Add(time.Duration(thrMs) * time.Millisecond)
		for g := 0; g < k; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(end) {
					run()
					atomic.AddInt64(&n, 1)
				}
			}()
		}
		wg.Wait()
		fmt.Fprintf(w, "thr %d %d %d\n", k, n, time.Since(t0).Nanoseconds())
	}
}
