/** kvmj benchmarks. */
package io.kvmj.bench;
