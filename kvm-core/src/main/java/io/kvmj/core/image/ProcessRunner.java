package io.kvmj.core.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one qemu-img process, draining stdout and stderr concurrently; optionally parses -p progress. */
final class ProcessRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);

    /** What the process produced. */
    record Result(List<String> argv, int exitCode, String stdout, String stderr) {
    }

    private ProcessRunner() {}

    static Result run(List<String> argv, ProgressListener progress) {
        LOG.debug("running {}", argv);
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new QemuImgException("cannot start " + argv.get(0) + ": " + e.getMessage(), argv, -1, "", e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            String out;
            if (progress != null) {
                ProgressParser parser = new ProgressParser(progress);
                try (Reader r = new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)) {
                    int c;
                    while ((c = r.read()) >= 0) {
                        parser.accept((char) c);
                    }
                }
                parser.finish();
                out = parser.otherOutput();
            } else {
                out = drain(p.getInputStream());
            }
            int code = p.waitFor();
            return new Result(List.copyOf(argv), code, out, err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new QemuImgException("interrupted while waiting for qemu-img", argv, -1, "", e);
        } catch (IOException | ExecutionException e) {
            p.destroyForcibly();
            throw new QemuImgException("lost contact with qemu-img: " + e, argv, -1, "", e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
