package io.drawbridge.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The private copy a child JVM runs from. Maven's jar plugin rewrites {@code target/<module>.jar} in place (same file,
 * same inode; Spring Boot's repackaging then renames it), and a running JVM reads classes lazily from its jar: a
 * rebuild under a running service ends in {@code NoClassDefFoundError}, and a hard link to the jar shares the rewrite.
 * So every service (and S3Proxy) runs from a copy of its own, replaced atomically (a new file renamed over the old
 * one, which a running process keeps reading) and only after the copy proved to be a complete jar.
 */
final class JarCopy {

    /** What a Spring Boot executable jar's manifest names as its main class. */
    static final String SPRING_BOOT_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

    private JarCopy() {}

    /** What the copy must be for the process that runs it. */
    enum Kind {
        /** A Spring Boot executable jar (the services): not the plain jar Maven writes before it repackages. */
        SPRING_BOOT_EXECUTABLE,
        /** Any complete jar (S3Proxy's self-contained jar). */
        PLAIN
    }

    /**
     * Makes {@code target} a copy of {@code source}. A copy with the source's size and modification time (copies keep
     * it) is the same build and is kept as it is.
     *
     * @return {@code target}
     * @throws IOException when the source is missing or not a complete jar of that kind (e.g. Maven is writing it)
     */
    static Path refresh(Path source, Path target, Kind kind) throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new IOException(source + " does not exist");
        }
        BasicFileAttributes before = Files.readAttributes(source, BasicFileAttributes.class);
        if (sameBuild(before, target)) {
            return target;
        }
        Path dir = Files.createDirectories(target.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            BasicFileAttributes after = Files.readAttributes(source, BasicFileAttributes.class);
            if (after.size() != before.size() || !after.lastModifiedTime().equals(before.lastModifiedTime())) {
                throw new IOException(source + " changed while it was copied (a build is writing it)");
            }
            check(temp, source, kind);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static boolean sameBuild(BasicFileAttributes source, Path target) throws IOException {
        if (!Files.isRegularFile(target)) {
            return false;
        }
        BasicFileAttributes copy = Files.readAttributes(target, BasicFileAttributes.class);
        // Milliseconds: the copy's time may be stored with less precision than the source's (microseconds here).
        return copy.size() == source.size()
                && copy.lastModifiedTime().toMillis()
                        == source.lastModifiedTime().toMillis();
    }

    /** A jar cut short has no central directory; the plain jar Maven writes before repackaging has no launcher. */
    private static void check(Path copy, Path source, Kind kind) throws IOException {
        Manifest manifest;
        try (JarFile jar = new JarFile(copy.toFile())) {
            manifest = jar.getManifest();
        } catch (IOException e) {
            throw new IOException(source + " is not a complete jar (a build writing it?): " + e.getMessage(), e);
        }
        if (kind == Kind.SPRING_BOOT_EXECUTABLE) {
            String main = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (!SPRING_BOOT_LAUNCHER.equals(main)) {
                throw new IOException(source + " is not a Spring Boot executable jar (Main-Class " + main
                        + "; a build between packaging and repackaging?)");
            }
        }
    }
}
