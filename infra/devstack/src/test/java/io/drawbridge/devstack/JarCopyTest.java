package io.drawbridge.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarCopyTest {

    @TempDir
    Path dir;

    @Test
    void aRebuildThatRewritesTheModulesJarInPlaceLeavesTheCopyAlone() throws Exception {
        Path built = bootJar(dir.resolve("target/token-service.jar"), "first build");
        Path copy = JarCopy.refresh(built, dir.resolve("jars/token-service.jar"), JarCopy.Kind.SPRING_BOOT_EXECUTABLE);

        // What Maven's jar plugin does: the same file, truncated and written again.
        byte[] plain = plainJar(dir.resolve("plain.jar"));
        Files.write(built, plain, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);

        assertThat(content(copy)).isEqualTo("first build");
        assertThat(Files.readAttributes(copy, BasicFileAttributes.class).fileKey())
                .isNotEqualTo(
                        Files.readAttributes(built, BasicFileAttributes.class).fileKey());
    }

    @Test
    void theNextStartReplacesTheCopyWhileAProcessStillReadsTheOldOne() throws Exception {
        Path built = bootJar(dir.resolve("target/token-service.jar"), "first build");
        Path copy = JarCopy.refresh(built, dir.resolve("jars/token-service.jar"), JarCopy.Kind.SPRING_BOOT_EXECUTABLE);
        try (JarFile running = new JarFile(copy.toFile())) {
            bootJar(built, "second build, a little longer");
            Files.setLastModifiedTime(built, FileTime.from(Instant.now().plusSeconds(5)));

            JarCopy.refresh(built, copy, JarCopy.Kind.SPRING_BOOT_EXECUTABLE);

            assertThat(content(copy)).isEqualTo("second build, a little longer");
            assertThat(new String(
                            running.getInputStream(running.getEntry("content.txt"))
                                    .readAllBytes(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("first build");
        }
        try (var left = Files.list(copy.getParent())) {
            assertThat(left).containsExactly(copy);
        }
    }

    @Test
    void aCopyOfTheSameBuildIsKeptAsItIs() throws Exception {
        Path built = bootJar(dir.resolve("target/token-service.jar"), "first build");
        Path copy = JarCopy.refresh(built, dir.resolve("jars/token-service.jar"), JarCopy.Kind.SPRING_BOOT_EXECUTABLE);
        Object before = Files.readAttributes(copy, BasicFileAttributes.class).fileKey();

        JarCopy.refresh(built, copy, JarCopy.Kind.SPRING_BOOT_EXECUTABLE);

        assertThat(Files.readAttributes(copy, BasicFileAttributes.class).fileKey())
                .isEqualTo(before);
        assertThat(Files.getLastModifiedTime(copy).toMillis())
                .isEqualTo(Files.getLastModifiedTime(built).toMillis());
    }

    @Test
    void aJarMavenIsStillWritingIsRefusedAndTheLastGoodCopyStays() throws Exception {
        Path built = bootJar(dir.resolve("target/token-service.jar"), "first build");
        Path copy = JarCopy.refresh(built, dir.resolve("jars/token-service.jar"), JarCopy.Kind.SPRING_BOOT_EXECUTABLE);
        byte[] next = Files.readAllBytes(bootJar(dir.resolve("next.jar"), "second build"));
        Files.write(built, Arrays.copyOf(next, next.length / 2));
        Files.setLastModifiedTime(built, FileTime.from(Instant.now().plusSeconds(5)));

        assertThatThrownBy(() -> JarCopy.refresh(built, copy, JarCopy.Kind.SPRING_BOOT_EXECUTABLE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a complete jar");
        assertThat(content(copy)).isEqualTo("first build");
        try (var left = Files.list(copy.getParent())) {
            assertThat(left).containsExactly(copy);
        }
    }

    @Test
    void thePlainJarWrittenBeforeSpringBootRepackagesIsRefusedForAService() throws Exception {
        Path plain = dir.resolve("target/token-service.jar");
        Files.createDirectories(plain.getParent());
        Files.write(plain, plainJar(dir.resolve("plain.jar")));

        assertThatThrownBy(() -> JarCopy.refresh(
                        plain, dir.resolve("jars/token-service.jar"), JarCopy.Kind.SPRING_BOOT_EXECUTABLE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a Spring Boot executable jar");
        assertThat(dir.resolve("jars/token-service.jar")).doesNotExist();
        assertThat(JarCopy.refresh(plain, dir.resolve("jars/s3proxy.jar"), JarCopy.Kind.PLAIN))
                .hasSameBinaryContentAs(plain);
    }

    @Test
    void aMissingJarIsReportedByItsPath() {
        Path missing = dir.resolve("target/token-service.jar");

        assertThatThrownBy(() -> JarCopy.refresh(missing, dir.resolve("jars/x.jar"), JarCopy.Kind.PLAIN))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(missing.toString());
    }

    /** A jar shaped like a Spring Boot executable one (its launcher as Main-Class) with one text entry. */
    private static Path bootJar(Path file, String content) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, JarCopy.SPRING_BOOT_LAUNCHER);
        manifest.getMainAttributes().putValue("Start-Class", "io.drawbridge.token.TokenServiceApplication");
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file);
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("content.txt"));
            jar.write(content.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return file;
    }

    private static byte[] plainJar(Path file) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(file);
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("io/drawbridge/token/TokenServiceApplication.class"));
            jar.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
            jar.closeEntry();
        }
        return Files.readAllBytes(file);
    }

    private static String content(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return new String(file.getInputStream(file.getEntry("content.txt")).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
