package io.kvmj.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.qmp.command.BlockCommit;
import io.kvmj.qmp.command.BlockResize;
import io.kvmj.qmp.command.BlockStream;
import io.kvmj.qmp.command.BlockdevAdd;
import io.kvmj.qmp.command.BlockdevBackup;
import io.kvmj.qmp.command.BlockdevDel;
import io.kvmj.qmp.command.BlockdevSnapshotSync;
import io.kvmj.qmp.command.DeviceDel;
import io.kvmj.qmp.command.HumanMonitorCommand;
import io.kvmj.qmp.command.JobCancel;
import io.kvmj.qmp.command.JobComplete;
import io.kvmj.qmp.command.JobDismiss;
import io.kvmj.qmp.command.QomGet;
import io.kvmj.qmp.command.QueryBlock;
import io.kvmj.qmp.command.QueryJobs;
import io.kvmj.qmp.command.QueryNamedBlockNodes;
import io.kvmj.qmp.command.QueryStatus;
import io.kvmj.qmp.command.Quit;
import io.kvmj.qmp.command.SystemPowerdown;
import io.kvmj.qmp.model.BlockDeviceInfo;
import io.kvmj.qmp.model.BlockInfo;
import io.kvmj.qmp.model.JobInfo;
import io.kvmj.qmp.model.StatusInfo;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed command records against real QEMU: each one proven against QEMU's own {@code query-qmp-schema}, and
 * used in a snapshot / stream / commit / backup chain.
 */
class QmpTypedCommandsIT {
    private static final Duration T = Duration.ofSeconds(20);

    /** One sample of every record in {@code io.kvmj.qmp.command}; a record missing here fails the schema test. */
    private static final List<QmpCommand<?>> SAMPLES = List.of(
            BlockCommit.active("j", "d"), BlockResize.node("n", 1), BlockStream.of("j", "d"),
            BlockdevAdd.of("file", "n", Map.of("filename", "/x")), BlockdevBackup.full("j", "d", "t"),
            new BlockdevDel("n"), BlockdevSnapshotSync.node("n", "/f", "s"), new DeviceDel("d"),
            HumanMonitorCommand.of("info version"), new JobCancel("j"), new JobComplete("j"), new JobDismiss("j"),
            new QomGet("/machine", "type"), new QueryBlock(), new QueryJobs(), QueryNamedBlockNodes.flatNodes(),
            new QueryStatus(), new Quit(), new SystemPowerdown());

    @TempDir
    Path dir;

    @Test
    void everyRecordMatchesTheSchemaOfRealQemu() throws Exception {
        Set<String> sampled = new TreeSet<>();
        SAMPLES.forEach(s -> sampled.add(s.getClass().getSimpleName()));
        assertEquals(recordsInCommandPackage(), sampled, "every command record needs a sample here");

        Path sock = dir.resolve("qmp.sock");
        try (QemuProcess qemu = QemuProcess.start("unix:" + sock + ",server=on,wait=off", dir);
                QmpClient qmp = QmpClient.connect(sock, QmpClientOptions.defaults()).get(30, TimeUnit.SECONDS)) {
            Map<String, JsonNode> entities = new HashMap<>();
            for (JsonNode e : qmp.call("query-qmp-schema")) {
                entities.put(e.path("name").asText(), e);
            }
            List<String> problems = new ArrayList<>();
            for (QmpCommand<?> c : SAMPLES) {
                JsonNode cmd = entities.get(c.name());
                if (cmd == null || !"command".equals(cmd.path("meta-type").asText())) {
                    problems.add(c.name() + ": no such command");
                    continue;
                }
                JsonNode argType = entities.get(cmd.path("arg-type").asText());
                Set<String> sent = argumentNames(c);
                Map<String, JsonNode> accepted = members(entities, argType);
                for (String a : sent) {
                    if (!accepted.containsKey(a)) {
                        problems.add(c.name() + ": QEMU has no argument '" + a + "' (has " + accepted.keySet() + ")");
                    }
                }
                for (JsonNode m : argType.path("members")) {
                    String a = m.path("name").asText();
                    if (!m.has("default") && !sent.contains(a)) {
                        problems.add(c.name() + ": required argument '" + a + "' is not a component");
                    }
                }
                checkReply(entities, c.responseType(), cmd.path("ret-type").asText(), c.name(), new HashSet<>(),
                        problems);
            }
            assertEquals(List.of(), problems, "typed records vs query-qmp-schema of QEMU " + qmp.greeting().version()
                    + "; " + qemu.diagnostics());
        }
    }

    @Test
    void typedCommandsAgainstRealQemu() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        Path base = dir.resolve("base.img");
        Files.write(base, new byte[1 << 20]);
        try (QemuProcess qemu = QemuProcess.start("unix:" + sock + ",server=on,wait=off", dir, "-name", "kvmj-it",
                "-drive", "if=none,id=drv0,node-name=base0,format=raw,file=" + base);
                QmpClient qmp = QmpClient.connect(sock, QmpClientOptions.defaults()).get(30, TimeUnit.SECONDS)) {
            StatusInfo st = qmp.call(new QueryStatus());
            assertTrue(st.running(), qemu.diagnostics());
            assertEquals("running", st.status());
            assertTrue(qmp.call(HumanMonitorCommand.of("info version")).contains(qmp.greeting().version().toString()));
            assertEquals(List.of(), qmp.call(new QueryJobs()));
            assertEquals("none-machine", qmp.call(new QomGet("/machine", "type")).asText());

            // block layer: add/resize/del nodes
            Path extra = dir.resolve("extra.img");
            Files.write(extra, new byte[1 << 20]);
            qmp.call(BlockdevAdd.of("file", "xf", Map.of("filename", extra.toString())));
            qmp.call(BlockdevAdd.of("raw", "xd", Map.of("file", "xf")));
            qmp.call(BlockResize.node("xd", 2 << 20));
            assertEquals(2 << 20, Files.size(extra));
            List<BlockDeviceInfo> nodes = qmp.call(QueryNamedBlockNodes.flatNodes());
            BlockDeviceInfo xd = nodes.stream().filter(n -> "xd".equals(n.nodeName())).findFirst().orElseThrow();
            assertEquals(2 << 20, xd.image().virtualSize(), nodes.toString());
            assertEquals("raw", xd.drv());
            assertFalse(xd.cache().noFlush());
            qmp.call(new BlockdevDel("xd"));
            qmp.call(new BlockdevDel("xf"));

            // snapshot chain base0 <- ov0 <- ov1, stream ov0 into ov1, then active commit into base0
            qmp.call(new BlockdevSnapshotSync("drv0", null, dir + "/ov0.qcow2", "ov0", "qcow2", null));
            qmp.call(BlockdevSnapshotSync.node("ov0", dir + "/ov1.qcow2", "ov1"));
            List<BlockInfo> blocks = qmp.call(new QueryBlock());
            assertEquals("ov1", blocks.get(0).inserted().nodeName(), blocks.toString());
            assertEquals(2, blocks.get(0).inserted().backingFileDepth());
            assertEquals(base.toString(), blocks.get(0).inserted().image().backingImage().backingImage().filename());
            EventWaiter streamed = qmp.awaitEvent("BLOCK_JOB_COMPLETED", e -> "s1".equals(e.dataText("device")), T);
            qmp.call(new BlockStream("s1", "ov1", "base0", null, null, null, null, null, null, null));
            assertEquals("stream", streamed.await().dataText("type"));
            assertEquals(1, qmp.call(new QueryBlock()).get(0).inserted().backingFileDepth());

            EventWaiter ready = qmp.awaitEvent("BLOCK_JOB_READY", e -> "c1".equals(e.dataText("device")), T);
            qmp.call(new BlockCommit("c1", "drv0", null, null, null, null, null, null, null, null, false));
            ready.await();
            EventWaiter concluded = qmp.awaitEvent("JOB_STATUS_CHANGE",
                    e -> "c1".equals(e.dataText("id")) && "concluded".equals(e.dataText("status")), T);
            qmp.call(new JobComplete("c1"));
            concluded.await();
            List<JobInfo> jobs = qmp.call(new QueryJobs());
            assertEquals("concluded", jobs.get(0).status(), jobs.toString());
            qmp.call(new JobDismiss("c1"));
            assertEquals(List.of(), qmp.call(new QueryJobs()));
            assertEquals("base0", qmp.call(new QueryBlock()).get(0).inserted().nodeName());

            // backup of the running node into a new image, held for the job only
            Path copy = dir.resolve("copy.img");
            Files.write(copy, new byte[1 << 20]);
            qmp.call(BlockdevAdd.of("raw", "bk", Map.of("file", Map.of("driver", "file", "filename", copy.toString()))));
            EventWaiter backedUp = qmp.awaitEvent("JOB_STATUS_CHANGE",
                    e -> "b1".equals(e.dataText("id")) && "concluded".equals(e.dataText("status")), T);
            qmp.call(new BlockdevBackup("b1", "base0", "bk", "full", null, null, false));
            backedUp.await();
            JobInfo backup = qmp.call(new QueryJobs()).get(0);
            assertEquals("backup", backup.type());
            assertEquals(null, backup.error(), backup.toString());
            qmp.call(new JobDismiss("b1"));
            qmp.call(new BlockdevDel("bk"));

            EventWaiter powerdown = qmp.awaitEvent("POWERDOWN", T);
            qmp.call(new SystemPowerdown());
            powerdown.await();
            EventWaiter shutdown = qmp.awaitEvent("SHUTDOWN", T);
            qmp.call(new Quit());
            shutdown.await();
            qmp.closeFuture().get(20, TimeUnit.SECONDS);
            assertTrue(qemu.waitForExit(20), qemu.diagnostics());
        }
    }

    /** The top-level argument names the record sends: its components' JSON names, or its custom arguments' keys. */
    private static Set<String> argumentNames(QmpCommand<?> c) {
        Set<String> names = new TreeSet<>();
        if (c.arguments() == c) {
            for (RecordComponent rc : c.getClass().getRecordComponents()) {
                names.add(jsonName(rc));
            }
        } else {
            QmpJson.toArguments(c.arguments()).fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    /**
     * The reply type {@code type} against the schema type {@code schemaType}: a list needs an array, a record an
     * object with a member for every component; a primitive component a member QEMU always sends.
     */
    private static void checkReply(Map<String, JsonNode> entities, JavaType type, String schemaType, String where,
                                   Set<String> seen, List<String> problems) {
        if (!seen.add(type + " ~ " + schemaType)) {
            return; // a recursive type (ImageInfo.backing-image) is checked once
        }
        JsonNode t = entities.get(schemaType);
        if (t == null) {
            problems.add(where + ": schema type " + schemaType + " missing");
            return;
        }
        String meta = t.path("meta-type").asText();
        if (type.isCollectionLikeType()) {
            if (!"array".equals(meta)) {
                problems.add(where + ": a list in Java, " + meta + " in QEMU");
                return;
            }
            checkReply(entities, type.getContentType(), t.path("element-type").asText(), where + "[]", seen, problems);
            return;
        }
        if (!type.getRawClass().isRecord()) {
            return;
        }
        if (!"object".equals(meta)) {
            problems.add(where + ": a record in Java, " + meta + " in QEMU");
            return;
        }
        Map<String, JsonNode> members = members(entities, t);
        for (RecordComponent rc : type.getRawClass().getRecordComponents()) {
            String name = jsonName(rc);
            JsonNode m = members.get(name);
            if (m == null) {
                problems.add(where + "." + name + ": QEMU reports no such field (has " + members.keySet() + ")");
                continue;
            }
            if (rc.getType().isPrimitive() && m.has("default")) {
                problems.add(where + "." + name + ": optional in QEMU, so it must not be a primitive");
            }
            JavaType ct = QmpJson.mapper().getTypeFactory().constructType(rc.getGenericType());
            checkReply(entities, ct, m.path("type").asText(), where + "." + name, seen, problems);
        }
    }

    /** Members of an object type by name, including those of every variant of a union. */
    private static Map<String, JsonNode> members(Map<String, JsonNode> entities, JsonNode type) {
        Map<String, JsonNode> out = new HashMap<>();
        if (type == null) {
            return out;
        }
        type.path("members").forEach(m -> out.put(m.path("name").asText(), m));
        for (JsonNode v : type.path("variants")) {
            members(entities, entities.get(v.path("type").asText())).forEach(out::putIfAbsent);
        }
        return out;
    }

    /** The component's QMP name: {@code @JsonProperty} (Jackson puts it on the accessor and field) or its own name. */
    private static String jsonName(RecordComponent rc) {
        JsonProperty p = rc.getAccessor().getAnnotation(JsonProperty.class);
        if (p == null) {
            try {
                p = rc.getDeclaringRecord().getDeclaredField(rc.getName()).getAnnotation(JsonProperty.class);
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(e);
            }
        }
        return p == null || p.value().isEmpty() ? rc.getName() : p.value();
    }

    /** Simple names of the {@link QmpCommand} records compiled into {@code io.kvmj.qmp.command}. */
    private static Set<String> recordsInCommandPackage() throws IOException, URISyntaxException {
        String pkg = "io/kvmj/qmp/command/";
        Path where = Path.of(QmpCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> entries = new ArrayList<>();
        if (Files.isDirectory(where)) {
            try (Stream<Path> s = Files.list(where.resolve(pkg))) {
                s.forEach(p -> entries.add(pkg + p.getFileName()));
            }
        } else {
            try (ZipFile jar = new ZipFile(where.toFile())) {
                jar.stream().forEach(e -> entries.add(e.getName()));
            }
        }
        Set<String> out = new TreeSet<>();
        for (String e : entries) {
            if (!e.startsWith(pkg) || !e.endsWith(".class") || e.substring(pkg.length()).contains("/")) {
                continue;
            }
            try {
                Class<?> c = Class.forName(e.substring(0, e.length() - 6).replace('/', '.'));
                if (c.isRecord() && QmpCommand.class.isAssignableFrom(c)) {
                    out.add(c.getSimpleName());
                }
            } catch (ClassNotFoundException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return out;
    }
}
