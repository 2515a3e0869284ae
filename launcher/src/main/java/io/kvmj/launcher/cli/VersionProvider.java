package io.kvmj.launcher.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the kvmj version from the jar manifest. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = KvmjCommand.class.getPackage().getImplementationVersion();
        return new String[] {"kvmj " + (v == null ? "dev" : v)};
    }
}
