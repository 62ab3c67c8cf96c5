package io.drawbridge.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSecretsTest {

    @TempDir
    Path stateDir;

    @Test
    void secretsAreGeneratedOnceAndSurviveARestart() throws Exception {
        Path file = stateDir.resolve("secrets");

        DevSecrets first = DevSecrets.loadOrCreate(file);
        DevSecrets second = DevSecrets.loadOrCreate(file);

        assertThat(first.get(DevSecrets.ADMIN_TOKEN)).startsWith("dev_admin_").hasSizeGreaterThan(40);
        assertThat(first.get(DevSecrets.STRIPE_WEBHOOK_SECRETS)).startsWith("whsec_");
        assertThat(first.get(DevSecrets.ANTISTOCK_API_TOKEN)).startsWith("as_dev_");
        assertThat(first.get(DevSecrets.GRANT_SECRET))
                .hasSizeGreaterThanOrEqualTo(43)
                .isNotEqualTo(first.get(DevSecrets.SERVICE_TOKEN));
        for (String name : new String[] {
            DevSecrets.ADMIN_TOKEN,
            DevSecrets.SERVICE_TOKEN,
            DevSecrets.GRANT_SECRET,
            DevSecrets.DB_PASSWORD,
            DevSecrets.AUDIT_ERASURE_SALT,
            DevSecrets.STRIPE_WEBHOOK_SECRETS
        }) {
            assertThat(second.get(name)).as(name).isEqualTo(first.get(name));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void servicesGetTheTokensButNotTheDatabasePasswordThroughThisChannel() throws Exception {
        DevSecrets secrets = DevSecrets.loadOrCreate(stateDir.resolve("secrets"));

        assertThat(secrets.serviceSecrets())
                .containsOnlyKeys(
                        DevSecrets.ADMIN_TOKEN,
                        DevSecrets.SERVICE_TOKEN,
                        DevSecrets.GRANT_SECRET,
                        DevSecrets.AUDIT_ERASURE_SALT,
                        DevSecrets.STRIPE_WEBHOOK_SECRETS,
                        DevSecrets.ANTISTOCK_API_TOKEN,
                        DevSecrets.CONSOLE_USER,
                        DevSecrets.CONSOLE_PASSWORD_HASH,
                        DevSecrets.CONSOLE_WEBHOOK_KEY);
    }

    @Test
    void theConsoleGetsAHashOfThePasswordAndOnlyTheBannerTheSecretsFileKeepsThePassword() throws Exception {
        Path file = stateDir.resolve("secrets");
        DevSecrets secrets = DevSecrets.loadOrCreate(file);
        String password = secrets.get(DevSecrets.CONSOLE_PASSWORD);
        String hash = secrets.serviceSecrets().get(DevSecrets.CONSOLE_PASSWORD_HASH);

        assertThat(secrets.get(DevSecrets.CONSOLE_USER)).isEqualTo("seller");
        assertThat(hash).startsWith("{bcrypt}").doesNotContain(password);
        assertThat(new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder()
                        .matches(password, hash.substring("{bcrypt}".length())))
                .isTrue();
        assertThat(secrets.serviceSecrets().values()).doesNotContain(password);
        assertThat(java.nio.file.Files.readString(file)).contains(password).doesNotContain("$2a$");
        assertThat(DevSecrets.loadOrCreate(file).get(DevSecrets.CONSOLE_PASSWORD))
                .as("the password survives a restart")
                .isEqualTo(password);
    }
}
