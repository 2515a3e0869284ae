package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.ChardevInfo;
import java.util.List;

/** {@code query-chardev}: Character devices. */
public record QueryChardev() implements QmpCommand<List<ChardevInfo>> {
    private static final JavaType RESPONSE = QmpTypes.listOf(ChardevInfo.class);

    @Override
    public String name() {
        return "query-chardev";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}
