package io.kvmj.core.model;

/** Guest NIC device model. */
public enum NicModel {
    VIRTIO_NET_PCI("virtio-net-pci"), E1000("e1000");

    private final String device;

    NicModel(String device) { this.device = device; }

    public String device() { return device; }
}
