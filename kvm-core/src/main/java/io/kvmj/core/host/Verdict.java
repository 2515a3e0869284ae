package io.kvmj.core.host;

/** The outcome of one host check. */
public enum Verdict {
    /** The host has what VMs need here. */
    PASS,
    /** Works, but slower or with fewer features than it could. */
    WARN,
    /** Missing: the feature cannot be used until fixed. */
    FAIL,
    /** A fact worth knowing; neither good nor bad. */
    INFO
}
