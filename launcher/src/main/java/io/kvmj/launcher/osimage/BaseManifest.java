package io.kvmj.launcher.osimage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * {@code base.json} next to a cached base disk: what was built, so a later build checks sizes before writing.
 *
 * @param release       the OS name, e.g. {@code debian-12}
 * @param packages      the sorted package set
 * @param layoutVersion {@link DebianBase#LAYOUT_VERSION} at build time
 * @param rootUuid      the root filesystem UUID (fstab, GRUB)
 * @param diskBytes     the base disk's size (the minimum {@code --size})
 * @param usedBytes     bytes of files in the root filesystem
 * @param partitionOffset byte offset of the root partition
 * @param kernel        the kernel file, e.g. {@code vmlinuz-6.1.0-37-cloud-amd64}
 * @param builtAt       ISO-8601 build time
 */
public record BaseManifest(String release, List<String> packages, int layoutVersion, UUID rootUuid, long diskBytes,
                           long usedBytes, long partitionOffset, String kernel, String builtAt) {
    /** The file name of the base disk in its cache entry. */
    public static final String DISK = "base.raw";
    /** The file name of this manifest in its cache entry. */
    public static final String FILE = "base.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** Reads {@code dir/base.json}. */
    public static BaseManifest read(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(FILE).toFile(), BaseManifest.class);
    }

    /** Writes {@code dir/base.json}. */
    void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve(FILE).toFile(), this);
    }
}
