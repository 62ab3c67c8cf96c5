package io.drawbridge.file.config;

import io.drawbridge.file.files.domain.MalwareScanner;
import io.drawbridge.file.scan.ClamdScanner;
import io.drawbridge.file.scan.NoScanner;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

/** Wiring that is a choice rather than a component: the clock, transactions, whether files are scanned. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class FileServiceConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FileServiceConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    TransactionalOperator transactionalOperator(ReactiveTransactionManager transactions) {
        return TransactionalOperator.create(transactions);
    }

    @Bean
    MalwareScanner malwareScanner(FileProperties properties) {
        if (properties.clamd().enabled()) {
            log.info(
                    "Files are scanned by clamd at {}:{}",
                    properties.clamd().host(),
                    properties.clamd().port());
            return new ClamdScanner(properties.clamd());
        }
        log.info("No clamd configured (drawbridge.file.clamd.host): files are stored as not_scanned");
        return new NoScanner();
    }
}
