package io.kvmj.core.qemu.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmj.core.model.Accelerator;
import io.kvmj.core.model.DiskSpec;
import io.kvmj.core.model.GuestSpec;
import io.kvmj.core.model.NinePShare;
import io.kvmj.core.model.QmpEndpoint;
import io.kvmj.core.model.SerialSpec;
import io.kvmj.core.qemu.QemuCommand;
import io.kvmj.core.qemu.QemuCommandLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile file names and serials rendered by the one escaper and given to real QEMU: query-block must report
 * exactly the intended file for every disk, and qom-get the intended serial. Each image holds its own name so a
 * mix-up would also be visible in the data.
 */
class HostileNamesIT {
    /** Names that break naive option strings: commas, '=', spaces, quotes, leading '-', option syntax, unicode. */
    static final List<String> NAMES = List.of(
            "comma,name.img", "eq=sign.img", "with space.img", "single'quote.img", "double\"quote.img",
            "-leading-dash.img", "x,file=evil.img,driver=qcow2", "id=disk0,node-name=x", ",,double,,comma",
            "trailing,", "ünïcødé-磁盘.img", "$(touch pwned)`id`;|&.img", "*?[glob].img");
    static final List<String> SERIALS = List.of("a,b", "x=y,z=w", "ser ial", "-s", "file=q,,r");

    @TempDir
    static Path dir;
    static QemuUnderTest qemu;
    static Map<String, JsonNode> byNode = new HashMap<>();
    static QemuCommand cmd;

    @BeforeAll
    static void start() throws Exception {
        QemuUnderTest.requireQemu();
        GuestSpec.Builder b = GuestSpec.builder("hostile,name=x").accelerator(Accelerator.TCG).startPaused(true)
                .qmp(QmpEndpoint.unixServer(dir.resolve("q.sock")));
        for (int i = 0; i < NAMES.size(); i++) {
            Path img = dir.resolve(NAMES.get(i));
            byte[] data = new byte[1024 * 1024];
            byte[] label = NAMES.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(label, 0, data, 0, label.length);
            Files.write(img, data);
            DiskSpec.Builder d = DiskSpec.file("d" + i, img);
            if (i < SERIALS.size()) {
                d.serial(SERIALS.get(i));
            }
            b.disk(d.build());
        }
        Path shareDir = Files.createDirectories(dir.resolve("share,security_model=none"));
        b.share(NinePShare.of("tag", shareDir));
        b.serial(SerialSpec.unixSocket(dir.resolve("s,server=off,x.sock")));
        cmd = QemuCommandLine.defaults().render(b.build());
        qemu = QemuUnderTest.startWithServerSocket(cmd, dir.resolve("q.sock"), dir);
        for (JsonNode dev : qemu.qmp().execute("query-block")) {
            JsonNode ins = dev.get("inserted");
            if (ins != null) {
                byNode.put(ins.get("node-name").asText(), ins);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (qemu != null) {
            qemu.close();
        }
    }

    @Test
    void everyDiskOpensTheIntendedFile() {
        for (int i = 0; i < NAMES.size(); i++) {
            JsonNode ins = byNode.get("d" + i + "-fmt");
            assertNotNull(ins, "disk d" + i + " missing; argv " + cmd.shellQuoted());
            assertEquals(dir.resolve(NAMES.get(i)).toString(), ins.get("file").asText(), "disk d" + i);
            assertEquals("raw", ins.get("drv").asText());
        }
    }

    @Test
    void serialsArriveVerbatim() throws Exception {
        for (int i = 0; i < SERIALS.size(); i++) {
            JsonNode v = qemu.qmp().execute("qom-get", Map.of("path", "/machine/peripheral/d" + i, "property", "serial"));
            assertEquals(SERIALS.get(i), v.asText());
        }
    }

    @Test
    void guestNameAndSocketPathSurviveEscaping() throws Exception {
        assertEquals("hostile,name=x", qemu.qmp().execute("query-name").get("name").asText());
        List<String> names = new ArrayList<>();
        for (JsonNode c : qemu.qmp().execute("query-chardev")) {
            names.add(c.get("filename").asText());
        }
        assertTrue(names.toString().contains("unix:" + dir.resolve("s,server=off,x.sock") + ",server=on"), names.toString());
        assertTrue(Files.exists(dir.resolve("s,server=off,x.sock")), "QEMU created the socket under the exact name");
    }

    @Test
    void argvHasNoShellAndEveryCommaIsDoubled() {
        for (String a : cmd.argv()) {
            if (a.contains("filename=")) {
                String v = a.substring(a.indexOf("filename=") + 9, a.indexOf(",aio="));
                assertTrue(!v.replace(",,", "").contains(","), a);
            }
        }
    }
}
