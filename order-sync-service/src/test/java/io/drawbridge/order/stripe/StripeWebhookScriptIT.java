package io.drawbridge.order.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drawbridge.order.support.OrderSyncServiceTestSupport;
import io.drawbridge.order.support.OrdersTopic.Published;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

/** bin/stripe-webhook, run as a user would, against the service: its signature and payloads must be accepted. */
class StripeWebhookScriptIT extends OrderSyncServiceTestSupport {

    private static final Path SCRIPT =
            Path.of("..", "bin", "stripe-webhook").toAbsolutePath().normalize();

    @LocalServerPort
    int port;

    @TempDir
    Path devstack;

    @Test
    void theScriptSendsASignedPaymentAndThenItsRefund() throws Exception {
        assumeTrue(onPath("openssl") && onPath("curl"), "bin/stripe-webhook needs openssl and curl");
        Files.writeString(
                devstack.resolve("env"),
                "export DRAWBRIDGE_ORDER_SYNC_SERVICE_URL='http://127.0.0.1:" + port + "'\n"
                        + "export STRIPE_WEBHOOK_SECRETS='" + PRIMARY_SECRET + "," + SECONDARY_SECRET + "'\n");

        String paidOutput = run("paid", "script@example.com");
        Matcher intent = Pattern.compile("payment intent (pi_[0-9a-f]+)").matcher(paidOutput);
        assertThat(intent.find()).as(paidOutput).isTrue();
        String paymentIntent = intent.group(1);

        Published paid = awaitPublished(paymentIntent, "paid");
        assertThat(paid.text("customerEmail")).isEqualTo("script@example.com");
        assertThat(paid.value().get("lines").get(0).get("sku").asString()).isEqualTo("demo-app");

        run("refund", paymentIntent);
        Published refunded = awaitPublished(paymentIntent, "refunded");
        assertThat(refunded.text("previousStatus")).isEqualTo("paid");
        assertThat(refunded.text("orderId")).isEqualTo(paid.text("orderId"));
    }

    @Test
    void theScriptRefusesARefundWithoutAPaymentIntent() throws Exception {
        assumeTrue(onPath("openssl") && onPath("curl"), "bin/stripe-webhook needs openssl and curl");
        Files.writeString(devstack.resolve("env"), "export STRIPE_WEBHOOK_SECRETS='" + PRIMARY_SECRET + "'\n");
        Process process = start("refund");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isNotZero();
    }

    private String run(String... args) throws IOException, InterruptedException {
        Process process = start(args);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("-> 200");
        return output;
    }

    private Process start(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("STRIPE_WEBHOOK_URL");
        builder.environment().remove("STRIPE_WEBHOOK_SECRETS");
        builder.environment().put("DEVSTACK_DIR", devstack.toString());
        return builder.start();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
