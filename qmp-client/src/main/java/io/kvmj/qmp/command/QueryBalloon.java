package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.BalloonInfo;

/** {@code query-balloon}: Balloon size (needs a balloon device). */
public record QueryBalloon() implements QmpCommand<BalloonInfo> {
    private static final JavaType RESPONSE = QmpTypes.of(BalloonInfo.class);

    @Override
    public String name() {
        return "query-balloon";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}
