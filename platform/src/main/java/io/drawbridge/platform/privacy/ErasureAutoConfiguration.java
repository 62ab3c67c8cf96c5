package io.drawbridge.platform.privacy;

import io.drawbridge.platform.inbox.ProcessedEvents;
import io.drawbridge.platform.outbox.Outbox;
import io.drawbridge.platform.outbox.OutboxAutoConfiguration;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/** The erasure answer of every service that owns customer data (an {@link ErasureOwner} bean). */
@AutoConfiguration(after = OutboxAutoConfiguration.class)
@ConditionalOnBean({ErasureOwner.class, Outbox.class, ProcessedEvents.class})
public class ErasureAutoConfiguration {

    @Bean
    CustomerErasureListener customerErasureListener(
            ErasureOwner owner,
            Outbox outbox,
            ProcessedEvents processed,
            ObjectProvider<Clock> clock,
            @Value("${spring.application.name}") String service) {
        return new CustomerErasureListener(owner, outbox, processed, clock.getIfAvailable(Clock::systemUTC), service);
    }
}
