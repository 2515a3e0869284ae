package io.kvmj.launcher.cloudinit;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A NoCloud seed written by {@link CloudInitSeed#write}.
 *
 * @param iso        the ISO image (volume label {@code cidata})
 * @param instanceId the meta-data {@code instance-id} written (null when meta-data was given verbatim)
 * @param sshUser    which user ssh should log in as, if kvmj can tell ({@link CloudInitUserData#sshUser})
 * @param files      the files in the image, e.g. {@code [meta-data, user-data]}
 */
public record WrittenSeed(Path iso, String instanceId, Optional<SshUser> sshUser, List<String> files) {
    public WrittenSeed {
        files = List.copyOf(files);
    }
}
