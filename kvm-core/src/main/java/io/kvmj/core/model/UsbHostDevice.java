package io.kvmj.core.model;

/** A host USB device passed through ({@code usb-host}) by vendor:product or by bus/address; rendered on an xHCI controller. */
public record UsbHostDevice(Integer vendorId, Integer productId, Integer hostBus, Integer hostAddr) {
    public UsbHostDevice {
        boolean byId = vendorId != null && productId != null;
        boolean byAddr = hostBus != null && hostAddr != null;
        if (byId == byAddr) {
            throw new InvalidSpecException("usb", vendorId + ":" + productId + "/" + hostBus + "." + hostAddr,
                    "give exactly one of vendor:product or bus/addr");
        }
        if (byId && (vendorId < 0 || vendorId > 0xffff || productId < 0 || productId > 0xffff)) {
            throw new InvalidSpecException("usb.id", vendorId + ":" + productId, "ids are 16-bit");
        }
    }

    public static UsbHostDevice byId(int vendorId, int productId) { return new UsbHostDevice(vendorId, productId, null, null); }

    public static UsbHostDevice byAddress(int bus, int addr) { return new UsbHostDevice(null, null, bus, addr); }
}
