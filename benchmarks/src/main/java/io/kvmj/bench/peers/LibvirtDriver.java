package io.kvmj.bench.peers;

import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * The libvirt peer: libvirt-java's {@code Domain.qemuMonitorCommand} (virDomainQemuMonitorCommand: the
 * command goes to libvirtd over its RPC socket, libvirtd forwards it on its own QMP connection). Blocking,
 * so K commands in flight are K threads.
 */
final class LibvirtDriver implements QmpDriverMain.Driver {

    private final Connect conn;
    private final Domain dom;

    private LibvirtDriver(Connect conn, Domain dom) {
        this.conn = conn;
        this.dom = dom;
    }

    /** {@code target} is {@code URI#DOMAIN}. */
    static LibvirtDriver open(String target) throws Exception {
        int hash = target.lastIndexOf('#');
        Connect c = new Connect(target.substring(0, hash));
        return new LibvirtDriver(c, c.domainLookupByName(target.substring(hash + 1)));
    }

    @Override
    public void call() throws Exception {
        String r = dom.qemuMonitorCommand(QmpDriverMain.QUERY_STATUS, 0);
        if (!r.contains("\"return\"")) {
            throw new IllegalStateException("libvirt: query-status failed: " + r);
        }
    }

    @Override
    public void inFlight(int k) {
        throw new UnsupportedOperationException("threaded");
    }

    @Override
    public boolean threaded() {
        return true;
    }

    @Override
    public void close() throws Exception {
        dom.free();
        conn.close();
    }
}
