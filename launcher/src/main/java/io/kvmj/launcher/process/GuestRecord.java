package io.kvmj.launcher.process;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a guest's runtime directory records about it ({@code guest.json}): written by the launcher in steps (claim,
 * launch, QEMU's pid, cloud-init seed, ssh forward) and read by the registry and the CLI ({@code list}, {@code info},
 * {@code ssh}, {@code stop}). One typed record instead of string keys; a field not known yet is {@code null}.
 *
 * <pre>{@code
 * RuntimeDir dir = RuntimeDir.find("vm1").orElseThrow();
 * GuestRecord r = dir.record();
 * if (Boolean.TRUE.equals(r.detached()) && r.sshPort() != null) {
 *     System.out.println("ssh -p " + r.sshPort() + " root@127.0.0.1");
 * }
 * dir.update(g -> g.toBuilder().sshPort(2222).build());   // atomic replace of guest.json
 * }</pre>
 *
 * @param name              the guest's name
 * @param launcherPid       the JVM that claimed the directory
 * @param created           when the directory was claimed (ISO-8601 instant)
 * @param detached          QEMU outlives the launching JVM
 * @param accelerator       {@code kvm} or {@code tcg}
 * @param acceleratorReason why that accelerator was chosen
 * @param qmpSocket         the QMP socket other processes connect to
 * @param consoleSocket     the serial console socket
 * @param console           whether the guest has kvmj's serial console
 * @param argv              QEMU's complete argv (binary first)
 * @param pid               QEMU's pid once spawned
 * @param orphanProtection  how QEMU is kept from outliving its launcher ({@link OrphanProtection} name)
 * @param machine           the versioned machine type QEMU runs (e.g. {@code pc-q35-7.2})
 * @param cloudInitSeed     the NoCloud seed ISO, when the guest has one
 * @param cloudInitSshUser  the user cloud-init gave the ssh key to ({@code ""}: unknown)
 * @param sshPort           the host port forwarded to guest port 22
 * @param qemuArgs          raw arguments given after the rendered argv ({@code --qemu-arg}), which the spec cannot
 *                          carry; absent when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GuestRecord(String name, Long launcherPid, String created, Boolean detached, String accelerator,
                          String acceleratorReason, String qmpSocket, String consoleSocket, Boolean console,
                          List<String> argv, Long pid, String orphanProtection, String machine, String cloudInitSeed,
                          String cloudInitSshUser, Integer sshPort, List<String> qemuArgs) {
    public GuestRecord {
        argv = argv == null ? null : List.copyOf(argv);
        qemuArgs = qemuArgs == null ? null : List.copyOf(qemuArgs);
    }

    /** A record that knows only the name (a directory without {@code guest.json}). */
    public static GuestRecord named(String name) {
        return new Builder().name(name).build();
    }

    /** True when the guest was started detached. */
    public boolean isDetached() {
        return Boolean.TRUE.equals(detached);
    }

    /** A builder holding this record's values. */
    public Builder toBuilder() {
        return new Builder().name(name).launcherPid(launcherPid).created(created).detached(detached)
                .accelerator(accelerator).acceleratorReason(acceleratorReason).qmpSocket(qmpSocket)
                .consoleSocket(consoleSocket).console(console).argv(argv).pid(pid).orphanProtection(orphanProtection)
                .machine(machine).cloudInitSeed(cloudInitSeed).cloudInitSshUser(cloudInitSshUser).sshPort(sshPort).qemuArgs(qemuArgs);
    }

    /** Builder for {@link GuestRecord}. */
    public static final class Builder {
        private String name;
        private Long launcherPid;
        private String created;
        private Boolean detached;
        private String accelerator;
        private String acceleratorReason;
        private String qmpSocket;
        private String consoleSocket;
        private Boolean console;
        private List<String> argv;
        private Long pid;
        private String orphanProtection;
        private String machine;
        private String cloudInitSeed;
        private String cloudInitSshUser;
        private Integer sshPort;
        private List<String> qemuArgs;

        public Builder name(String v) { name = v; return this; }
        public Builder launcherPid(Long v) { launcherPid = v; return this; }
        public Builder created(String v) { created = v; return this; }
        public Builder detached(Boolean v) { detached = v; return this; }
        public Builder accelerator(String v) { accelerator = v; return this; }
        public Builder acceleratorReason(String v) { acceleratorReason = v; return this; }
        public Builder qmpSocket(String v) { qmpSocket = v; return this; }
        public Builder consoleSocket(String v) { consoleSocket = v; return this; }
        public Builder console(Boolean v) { console = v; return this; }
        public Builder argv(List<String> v) { argv = v; return this; }
        public Builder pid(Long v) { pid = v; return this; }
        public Builder orphanProtection(String v) { orphanProtection = v; return this; }
        public Builder machine(String v) { machine = v; return this; }
        public Builder cloudInitSeed(String v) { cloudInitSeed = v; return this; }
        public Builder cloudInitSshUser(String v) { cloudInitSshUser = v; return this; }
        public Builder sshPort(Integer v) { sshPort = v; return this; }
        public Builder qemuArgs(List<String> v) { qemuArgs = v; return this; }

        public GuestRecord build() {
            return new GuestRecord(name, launcherPid, created, detached, accelerator, acceleratorReason, qmpSocket,
                    consoleSocket, console, argv, pid, orphanProtection, machine, cloudInitSeed, cloudInitSshUser,
                    sshPort, qemuArgs);
        }
    }
}
