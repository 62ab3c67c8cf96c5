package io.drawbridge.embedded;

import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * An in-process Kafka broker logs thousands of INFO lines at startup and zonky echoes initdb line by line; neither
 * helps anyone reading a test or dev stack log. These loggers go to WARN: in Logback directly (when Logback is the
 * SLF4J backend) and, for Spring Boot, which resets Logback when a context starts, as {@code logging.level.*}
 * system properties that a test or application may still override.
 */
final class ServerLogLevels {

    static final List<String> QUIET_LOGGERS =
            List.of("kafka", "org.apache.kafka", "state.change.logger", "io.zonky.test.db.postgres");

    private ServerLogLevels() {}

    static void apply() {
        if (isLogback()) {
            var context = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
            for (String name : QUIET_LOGGERS) {
                var logger = context.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(ch.qos.logback.classic.Level.WARN);
                }
            }
        }
    }

    /** For Spring Boot in the same JVM: it reads {@code logging.level.*} from system properties too. */
    static void applyToSpringBoot() {
        for (String name : QUIET_LOGGERS) {
            String property = "logging.level." + name;
            if (System.getProperty(property) == null) {
                System.setProperty(property, "WARN");
            }
        }
    }

    private static boolean isLogback() {
        try {
            Class.forName("ch.qos.logback.classic.LoggerContext", false, ServerLogLevels.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        return LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext;
    }
}
