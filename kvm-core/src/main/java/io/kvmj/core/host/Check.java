package io.kvmj.core.host;

/**
 * One line of the host report: a stable {@code id} (e.g. {@code cpu.hwvirt}), a title, the verdict, what was
 * found and, when the verdict is not PASS and something can be done, the fix ({@code null} otherwise).
 */
public record Check(String id, String title, Verdict verdict, String detail, String fix) {

    static Check pass(String id, String title, String detail) {
        return new Check(id, title, Verdict.PASS, detail, null);
    }

    static Check info(String id, String title, String detail) {
        return new Check(id, title, Verdict.INFO, detail, null);
    }

    static Check info(String id, String title, String detail, String fix) {
        return new Check(id, title, Verdict.INFO, detail, fix);
    }

    static Check warn(String id, String title, String detail, String fix) {
        return new Check(id, title, Verdict.WARN, detail, fix);
    }

    static Check fail(String id, String title, String detail, String fix) {
        return new Check(id, title, Verdict.FAIL, detail, fix);
    }
}
