package io.kvmj.core.model;

import java.util.Objects;

/** A guest NUMA node: vCPUs {@code firstCpu..lastCpu} and its memory backend ({@code -numa node,cpus=,memdev=}). */
public record NumaNode(int nodeId, int firstCpu, int lastCpu, MemoryBackend memory) {
    public NumaNode {
        Objects.requireNonNull(memory, "memory");
        if (nodeId < 0) {
            throw new InvalidSpecException("numa.nodeid", nodeId, "negative");
        }
        if (firstCpu < 0 || lastCpu < firstCpu) {
            throw new InvalidSpecException("numa[" + nodeId + "].cpus", firstCpu + "-" + lastCpu, "bad cpu range");
        }
    }
}
