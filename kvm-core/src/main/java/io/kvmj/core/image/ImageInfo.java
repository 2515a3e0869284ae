package io.kvmj.core.image;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One image as {@code qemu-img info --output=json} describes it. {@code actualSize} is the space allocated
 * on the host (what {@code du} shows), {@code virtualSize} the size the guest sees.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageInfo(
    @JsonProperty("filename") String filename,
    @JsonProperty("format") String format,
    @JsonProperty("virtual-size") long virtualSize,
    @JsonProperty("actual-size") Long actualSize,
    @JsonProperty("cluster-size") Long clusterSize,
    @JsonProperty("dirty-flag") Boolean dirty,
    @JsonProperty("encrypted") Boolean encrypted,
    @JsonProperty("backing-filename") String backingFilename,
    @JsonProperty("full-backing-filename") String fullBackingFilename,
    @JsonProperty("backing-filename-format") String backingFormat,
    @JsonProperty("snapshots") List<SnapshotInfo> snapshots,
    @JsonProperty("format-specific") JsonNode formatSpecific) {

    /** Normalises absent lists to empty. */
    public ImageInfo {
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }

    /** The virtual size as a {@link ByteSize}. */
    @JsonIgnore
    public ByteSize virtualByteSize() {
        return ByteSize.ofBytes(virtualSize);
    }

    /** True if the image has a backing file (it is a copy-on-write overlay). */
    @JsonIgnore
    public boolean hasBacking() {
        return backingFilename != null && !backingFilename.isEmpty();
    }

    /** The qcow2 details, if this is a qcow2 image. */
    @JsonIgnore
    public Optional<Qcow2Details> qcow2() {
        if (formatSpecific == null || !"qcow2".equals(formatSpecific.path("type").asText())) {
            return Optional.empty();
        }
        return Optional.of(QemuImgJson.MAPPER.convertValue(formatSpecific.path("data"), Qcow2Details.class));
    }

    /**
     * The backing file resolved the way QEMU resolves it: relative names against the directory of this
     * image. Empty when there is no backing file or it is a protocol/JSON name that is not a local path.
     */
    @JsonIgnore
    public Optional<Path> resolvedBacking(Path image) {
        if (!hasBacking()) {
            return Optional.empty();
        }
        return BackingPaths.resolve(image, backingFilename);
    }
}
