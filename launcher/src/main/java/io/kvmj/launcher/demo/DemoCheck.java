package io.kvmj.launcher.demo;

/**
 * One pass/fail check of a demo run.
 *
 * @param name   short name ({@code modules}, {@code disk}, {@code disk-on-host}, {@code share}, {@code share-write})
 * @param passed whether it passed
 * @param detail what was seen
 */
public record DemoCheck(String name, boolean passed, String detail) {
    static DemoCheck pass(String name, String detail) {
        return new DemoCheck(name, true, detail);
    }

    static DemoCheck fail(String name, String detail) {
        return new DemoCheck(name, false, detail);
    }
}
