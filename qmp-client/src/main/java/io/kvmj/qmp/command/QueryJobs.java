package io.kvmj.qmp.command;

import com.fasterxml.jackson.databind.JavaType;
import io.kvmj.qmp.QmpCommand;
import io.kvmj.qmp.QmpTypes;
import io.kvmj.qmp.model.JobInfo;
import java.util.List;

/** {@code query-jobs}: Block and other jobs. */
public record QueryJobs() implements QmpCommand<List<JobInfo>> {
    private static final JavaType RESPONSE = QmpTypes.listOf(JobInfo.class);

    @Override
    public String name() {
        return "query-jobs";
    }

    @Override
    public JavaType responseType() {
        return RESPONSE;
    }
}
