package io.drawbridge.file.share.config;

import io.drawbridge.file.share.domain.ShareCipher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ShareConfiguration {

    @Bean
    ShareCipher shareCipher(ShareProperties properties) {
        return new ShareCipher(Math.toIntExact(properties.argonMemory().toKilobytes()), properties.argonIterations());
    }
}
