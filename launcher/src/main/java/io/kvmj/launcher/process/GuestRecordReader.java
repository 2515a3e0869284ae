package io.kvmj.launcher.process;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code guest.json} into a {@link GuestRecord} with Jackson's streaming parser instead of its data binding:
 * {@code kvmj list} reads one record per guest and exits, and building an {@code ObjectMapper} with a bean
 * deserializer for the record was the largest part of its start time with a guest (issue 19). The file is still
 * written by data binding ({@link RuntimeDir#update}); {@code GuestRecordReaderTest} writes records with every
 * component set that way and reads them back here, so a component added to {@link GuestRecord} but not here fails
 * it. Like the record's {@code @JsonIgnoreProperties(ignoreUnknown = true)}, unknown members are skipped; a value of
 * the wrong type is an {@link IOException}, as it is for data binding.
 *
 * <pre>{@code
 * GuestRecord r = GuestRecordReader.read(dir.infoFile());
 * }</pre>
 */
final class GuestRecordReader {
    private static final JsonFactory FACTORY = new JsonFactory();

    private GuestRecordReader() {}

    static GuestRecord read(Path file) throws IOException {
        try (JsonParser p = FACTORY.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, file + ": not a JSON object");
            }
            GuestRecord.Builder b = new GuestRecord.Builder();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "name" -> b.name(text(p));
                    case "launcherPid" -> b.launcherPid(number(p));
                    case "created" -> b.created(text(p));
                    case "detached" -> b.detached(bool(p));
                    case "accelerator" -> b.accelerator(text(p));
                    case "acceleratorReason" -> b.acceleratorReason(text(p));
                    case "qmpSocket" -> b.qmpSocket(text(p));
                    case "consoleSocket" -> b.consoleSocket(text(p));
                    case "console" -> b.console(bool(p));
                    case "argv" -> b.argv(texts(p));
                    case "pid" -> b.pid(number(p));
                    case "orphanProtection" -> b.orphanProtection(text(p));
                    case "machine" -> b.machine(text(p));
                    case "cloudInitSeed" -> b.cloudInitSeed(text(p));
                    case "cloudInitSshUser" -> b.cloudInitSshUser(text(p));
                    case "sshPort" -> b.sshPort(port(number(p)));
                    case "qemuArgs" -> b.qemuArgs(texts(p));
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw new JsonParseException(p, file + ": unexpected " + p.currentToken());
            }
            return b.build();
        } catch (ArithmeticException | NullPointerException e) {
            throw new IOException(file + ": " + e.getMessage() + " (number out of range or null in a list)", e);
        }
    }

    private static Integer port(Long v) {
        return v == null ? null : Math.toIntExact(v);
    }

    private static String text(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!t.isScalarValue()) {
            throw new JsonParseException(p, "expected a string for " + p.currentName() + ", got " + t);
        }
        return p.getText();
    }

    private static Long number(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText().strip());
            } catch (NumberFormatException e) {
                throw new JsonParseException(p, "not a number for " + p.currentName() + ": " + p.getText());
            }
        }
        throw new JsonParseException(p, "expected a number for " + p.currentName() + ", got " + t);
    }

    private static Boolean bool(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        if (t == JsonToken.VALUE_STRING && (p.getText().equals("true") || p.getText().equals("false"))) {
            return Boolean.valueOf(p.getText());
        }
        throw new JsonParseException(p, "expected true or false for " + p.currentName() + ", got " + t);
    }

    private static List<String> texts(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new JsonParseException(p, "expected an array for " + p.currentName() + ", got " + p.currentToken());
        }
        List<String> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == null) {
                throw new JsonParseException(p, "unterminated array");
            }
            out.add(text(p));
        }
        return out;
    }
}
