package io.kvmj.launcher.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kvmj.core.image.ByteSize;
import io.kvmj.core.image.ImageFormat;
import io.kvmj.core.image.ImageHeaderException;
import io.kvmj.core.image.Preallocation;
import io.kvmj.core.image.QemuImgException;
import io.kvmj.core.image.UnsupportedImageFormatException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;

/** Shared pieces of the {@code kvmj img} subcommands: converters, JSON, error-to-exit-code mapping. */
final class ImgSupport {
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ImgSupport() {}

    /** Converts {@code 10G}, {@code 512M}, bytes. */
    static final class SizeConverter implements ITypeConverter<ByteSize> {
        @Override
        public ByteSize convert(String value) {
            return ByteSize.parse(value);
        }
    }

    /** Converts format names like {@code qcow2}. */
    static final class FormatConverter implements ITypeConverter<ImageFormat> {
        @Override
        public ImageFormat convert(String value) {
            return ImageFormat.of(value);
        }
    }

    /** Converts preallocation names like {@code falloc}. */
    static final class PreallocationConverter implements ITypeConverter<Preallocation> {
        @Override
        public Preallocation convert(String value) {
            return Preallocation.of(value);
        }
    }

    /**
     * Runs {@code body}; maps failures to exit codes: qemu-img failures, images in use and I/O errors are 1
     * (ran and failed), bad arguments and images of a format the command refuses are 2. The message goes to stderr, prefixed with the command name.
     */
    static int run(CommandSpec spec, Callable<Integer> body) {
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        try {
            int code = body.call();
            spec.commandLine().getOut().flush();
            return code;
        } catch (UnsupportedImageFormatException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        } catch (QemuImgException | ImageHeaderException | UncheckedIOException e) {
            if (!AtomicOutput.interrupted()) { // else the interrupt hook reports, in one line
                err.println(name + ": " + e.getMessage());
            }
            return 1;
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println(name + ": internal error: " + e);
            if (Boolean.getBoolean("kvmj.debug")) {
                e.printStackTrace(err);
            }
            return 2;
        } finally {
            err.flush();
        }
    }

    static void printJson(CommandSpec spec, Object value) throws Exception {
        spec.commandLine().getOut().println(JSON.writeValueAsString(value));
    }
}
