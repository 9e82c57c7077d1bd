package io.sluice.locallambda;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds dynalite for a test: when it is missing the test fails under {@code CI=true} (CI must have run
 * {@code npm ci}) and is skipped otherwise, the reason printed either way.
 */
final class DynaliteAssumption {
    private DynaliteAssumption() {}

    static Path cli() {
        StringBuilder why = new StringBuilder();
        return Dynalite.locate(why).orElseGet(() -> {
            String reason = "needs dynalite: " + why;
            System.out.println("[dynalite] " + reason);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + " (CI=true: .ci/run installs it with npm ci)");
            }
            Assumptions.abort(reason + " (skipped outside CI)");
            return null;
        });
    }
}
