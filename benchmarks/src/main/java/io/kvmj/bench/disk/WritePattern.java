package io.kvmj.bench.disk;

/** The two write workloads: 4 KiB random and 1 MiB sequential. */
public enum WritePattern {
    RAND4K(4096, true, "randwrite"),
    SEQ1M(1 << 20, false, "write");

    private final int blockSize;
    private final boolean random;
    private final String fioRw;

    WritePattern(int blockSize, boolean random, String fioRw) {
        this.blockSize = blockSize;
        this.random = random;
        this.fioRw = fioRw;
    }

    public int blockSize() {
        return blockSize;
    }

    public boolean random() {
        return random;
    }

    /** fio {@code --rw} value. */
    public String fioRw() {
        return fioRw;
    }

    /** Label for reports. */
    public String label() {
        return random ? "4 KiB random write" : "1 MiB sequential write";
    }
}
