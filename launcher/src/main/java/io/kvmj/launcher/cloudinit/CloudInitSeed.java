package io.kvmj.launcher.cloudinit;

import io.kvmj.core.model.CloudInitSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes the cloud-init NoCloud seed of a guest: an ISO 9660 + Rock Ridge image labelled {@code cidata}
 * ({@link Iso9660Writer}) holding {@code meta-data}, {@code user-data} ({@link CloudInitUserData}) and, when given,
 * {@code network-config}. The launcher plans it into the runtime directory ({@link #attach}: the path is in the
 * argv, so {@code --dry-run} shows it) and writes it right after claiming that directory ({@link #write}); QEMU
 * attaches it read-only as CD-ROM {@value CloudInitSpec#SEED_ID}.
 *
 * <pre>{@code
 * CloudInitSpec planned = CloudInitSeed.attach(spec.cloudInit(), "vm1", runtimeDir);  // seed = DIR/cidata.iso
 * WrittenSeed seed = CloudInitSeed.write(planned);                                      // after claiming DIR
 * seed.sshUser();   // Optional[root] with ssh-key=
 * }</pre>
 */
public final class CloudInitSeed {
    private CloudInitSeed() {}

    /**
     * {@code ci} as the launcher attaches it: seed at {@code runtimeDir/}{@value CloudInitSpec#SEED_FILE}, host name
     * defaulting to {@code guestName} (made a valid host name, see {@link CloudInitSpec#hostnameFor}).
     */
    public static CloudInitSpec attach(CloudInitSpec ci, String guestName, Path runtimeDir) {
        return ci.withDefaultHostname(guestName).withSeed(runtimeDir.toAbsolutePath().resolve(CloudInitSpec.SEED_FILE));
    }

    /**
     * Writes the seed to {@code ci.seed()} (mode 0600: it may hold a password; written to a temporary file and
     * renamed, so the path never holds a partial image).
     *
     * @throws IllegalArgumentException when {@code ci} has no seed path
     * @throws IOException              when writing fails
     */
    public static WrittenSeed write(CloudInitSpec ci) throws IOException {
        if (ci.seed() == null) {
            throw new IllegalArgumentException("cloud-init spec has no seed path (CloudInitSeed.attach)");
        }
        String instanceId = ci.metaData() != null ? null
                : ci.instanceId() != null ? ci.instanceId() : "kvmj-" + UUID.randomUUID();
        Iso9660Writer iso = new Iso9660Writer("cidata");
        List<String> files = new ArrayList<>();
        iso.file("meta-data", CloudInitUserData.metaData(ci, instanceId).getBytes(StandardCharsets.UTF_8));
        files.add("meta-data");
        iso.file("user-data", CloudInitUserData.userData(ci).getBytes(StandardCharsets.UTF_8));
        files.add("user-data");
        if (ci.networkConfig() != null) {
            iso.file("network-config", ci.networkConfig().getBytes(StandardCharsets.UTF_8));
            files.add("network-config");
        }
        byte[] image = iso.toBytes();
        Path target = ci.seed();
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, image);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new WrittenSeed(target, instanceId, CloudInitUserData.sshUser(ci), files);
    }
}
