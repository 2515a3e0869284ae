package io.kvmj.launcher.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converter for an image argument that must already exist (file or block device): a missing one is a usage
 * error (exit 2, one line naming the path) before any qemu-img runs, instead of qemu-img's two-line failure.
 *
 * <pre>{@code
 * @Parameters(paramLabel = "FILE", converter = ExistingPath.class)
 * Path file;      // kvmj img info /nope  ->  kvmj img info: Invalid value for positional parameter at index 0 (FILE): no such file: /nope
 * }</pre>
 */
final class ExistingPath implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        Path p = Path.of(value);
        if (!Files.exists(p)) {
            throw new TypeConversionException(Files.exists(p, LinkOption.NOFOLLOW_LINKS)
                    ? "dangling symbolic link: " + value : "no such file: " + value);
        }
        return p;
    }
}
