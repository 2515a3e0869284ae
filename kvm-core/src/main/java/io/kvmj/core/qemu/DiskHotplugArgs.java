package io.kvmj.core.qemu;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The QMP commands that hot-plug one disk, rendered by {@link QemuCommandLine#renderDiskHotplug} from the same
 * model as the disk's {@code -blockdev}/{@code -device} arguments at launch: send each of {@link #blockdevAdd()}
 * with {@code blockdev-add} (protocol node first, then the format node), then {@link #deviceAdd()} with
 * {@code device_add}.
 *
 * @param deviceId    the device id, as {@code query-block} and {@code kvmj disk list} show the drive
 * @param nodeNames   the block nodes this disk owns, top (format) node first
 * @param blockdevAdd the {@code blockdev-add} arguments, protocol node first
 * @param deviceAdd   the {@code device_add} arguments ({@code driver}, {@code id}, {@code drive}, {@code bus}, ...)
 * @param warnings    soft concerns, as at launch (e.g. host caching under a guest RAID)
 */
public record DiskHotplugArgs(String deviceId, List<String> nodeNames, List<ObjectNode> blockdevAdd,
                              ObjectNode deviceAdd, List<Warning> warnings) {
    public DiskHotplugArgs {
        nodeNames = List.copyOf(nodeNames);
        blockdevAdd = blockdevAdd.stream().map(ObjectNode::deepCopy).toList();
        deviceAdd = deviceAdd.deepCopy();
        warnings = List.copyOf(warnings);
    }

    @Override
    public List<ObjectNode> blockdevAdd() { return blockdevAdd.stream().map(ObjectNode::deepCopy).toList(); }

    @Override
    public ObjectNode deviceAdd() { return deviceAdd.deepCopy(); }
}
